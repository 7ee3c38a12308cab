package dev.tfjit.cli;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.TfException;
import dev.tfjit.runtime.aot.AotFunction;
import dev.tfjit.runtime.aot.AotMetadata;
import dev.tfjit.runtime.aot.GpuAotFunction;
import dev.tfjit.runtime.aot.GpuAotMetadata;
import dev.tfjit.tracer.Npy;
import dev.tfjit.tracer.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code tfjit run-artifact DIR --inputs a.npy b.npy}: runs an AOT artifact and prints (or saves) its results. */
@Command(name = "run-artifact", mixinStandardHelpOptions = true,
        description = "Run an artifact made by 'tfjit compile' (CPU or GPU) on .npy inputs and print its results. The entry point is the "
                + "one compiled for the inputs' dtypes and shapes. An artifact compiled with --variables args takes the "
                + "variables' saved values when only the tensor arguments are given.")
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
        List<Buffer> args = new ArrayList<>(inputs.size());
        for (Path p : inputs) args.add(Npy.read(p));
        List<Buffer> results;
        if (GpuAotMetadata.isGpuArtifact(dir)) {
            try (GpuAotFunction f = GpuAotFunction.load(dir)) {
                GpuAotMetadata m = f.metadata();
                List<List<AotMetadata.Slot>> params = m.programs().stream().map(GpuAotMetadata.Program::params).toList();
                results = f.run(withSavedVariables(params, m.variableValues(), args));
            }
        } else {
            AotFunction f = AotFunction.load(dir);
            List<List<AotMetadata.Slot>> params = f.metadata().entries().stream().map(AotMetadata.Entry::params).toList();
            results = f.run(withSavedVariables(params, f.metadata().variableValues(), args));
        }
        if (!outputs.isEmpty() && outputs.size() != results.size()) {
            throw new TfException("--outputs names " + outputs.size() + " files, the artifact returns " + results.size() + " results");
        }
        PrintWriter out = spec.commandLine().getOut();
        for (int i = 0; i < results.size(); i++) {
            out.println(Tensor.of(results.get(i)));
            if (!outputs.isEmpty()) Npy.write(outputs.get(i), results.get(i));
        }
        out.flush();
        return 0;
    }

    /**
     * The arguments, followed by the saved variable values when an entry (given by its parameter
     * slots) takes exactly these arguments plus variables.
     */
    private List<Buffer> withSavedVariables(List<List<AotMetadata.Slot>> entries, List<AotMetadata.VariableValue> values, List<Buffer> args) {
        if (values.isEmpty()) return args;
        for (List<AotMetadata.Slot> ps : entries) {
            int nArgs = (int) ps.stream().filter(s -> s.kind() == AotMetadata.Kind.ARGUMENT).count();
            if (nArgs != args.size() || ps.size() == nArgs) continue;
            boolean fits = true;
            for (int i = 0; i < nArgs; i++) fits &= ps.get(i).type().equals(args.get(i).type());
            if (!fits) continue;
            List<Buffer> all = new ArrayList<>(args);
            for (AotMetadata.Slot s : ps.subList(nArgs, ps.size())) {
                AotMetadata.VariableValue v = values.stream().filter(x -> x.name().equals(s.name())).findFirst()
                        .orElseThrow(() -> new TfException("the artifact saved no value for variable '" + s.name() + "'"));
                all.add(Npy.read(dir.resolve(v.file())));
            }
            return all;
        }
        return args;
    }
}
