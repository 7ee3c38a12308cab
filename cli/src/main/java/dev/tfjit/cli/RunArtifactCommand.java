package dev.tfjit.cli;

import dev.tfjit.ir.Buffer;
import dev.tfjit.runtime.aot.AotArtifact;
import dev.tfjit.tracer.Npy;
import dev.tfjit.tracer.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code tfjit run-artifact DIR --inputs a.npy b.npy}: runs an AOT artifact and prints (or saves) its results. */
@Command(name = "run-artifact", mixinStandardHelpOptions = true,
        description = "Run an artifact made by 'tfjit compile' on .npy inputs and print its results.")
final class RunArtifactCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The artifact directory.")
    Path dir;

    @Option(names = "--inputs", arity = "0..*", paramLabel = "FILE.npy", description = "One .npy file per argument, in order.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--outputs", arity = "1..*", paramLabel = "FILE.npy", description = "Also write the results to these .npy files.")
    List<Path> outputs = new ArrayList<>();

    @Override
    public Integer call() {
        AotArtifact artifact = AotArtifact.load(dir);
        List<Buffer> args = new ArrayList<>(inputs.size());
        for (Path p : inputs) args.add(Npy.read(p));
        List<Buffer> results = artifact.run(args);
        if (!outputs.isEmpty() && outputs.size() != results.size()) {
            throw new IllegalArgumentException("--outputs names " + outputs.size() + " files, the artifact returns " + results.size() + " results");
        }
        for (int i = 0; i < results.size(); i++) {
            spec.commandLine().getOut().println(Tensor.of(results.get(i)));
            if (!outputs.isEmpty()) Npy.write(outputs.get(i), results.get(i));
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
