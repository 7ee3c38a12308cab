package dev.tfjit.cli;

import dev.tfjit.codegen.llvm.AotCompiler;
import dev.tfjit.codegen.llvm.AotEmit;
import dev.tfjit.codegen.llvm.AotEntry;
import dev.tfjit.codegen.llvm.AotRequest;
import dev.tfjit.codegen.llvm.AotTarget;
import dev.tfjit.runtime.aot.AotMetadata;
import dev.tfjit.runtime.aot.GpuAotMetadata;
import dev.tfjit.tracer.Npy;
import dev.tfjit.tracer.Variable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tfjit compile}: a function (a static Java method or Function traced like tf.function,
 * or an IR text file) compiled ahead of time, one entry point per signature and batch size, into
 * an artifact directory that runs without LLVM.
 */
@Command(name = "compile", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compile a function ahead of time into DIR: lib<name>.so (one entry point per signature and batch size), "
                + "<name>.h for C callers and tfjit-artifact.json. Run it with 'tfjit run-artifact' or AotFunction.load(DIR), "
                + "which need neither LLVM nor the compiler. For a GPU (--target sm_80, sm_90): one directory of PTX (and a "
                + "cubin when ptxas is on the PATH) per entry point and tfjit-gpu-artifact.json, run by 'tfjit run-artifact' or "
                + "GpuAotFunction.load(DIR) with only the NVIDIA driver.",
        footer = {"", "Example:",
                "  tfjit compile --class com.example.Model --method predict --signature 'f32[?,784]' --batch 1,32 -o out/"})
final class CompileCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin FunctionOptions function;

    @Option(names = "--target", paramLabel = "TARGET", defaultValue = "host",
            description = "host (this CPU: fastest, may not run on older CPUs), x86-64-v2|v3|v4 (portable levels), or a GPU: "
                    + "sm_70, sm_75, sm_80, sm_86, sm_89, sm_90 (PTX; a newer GPU runs the newest it is given).")
    String target;

    @Option(names = "--emit", paramLabel = "FORMS", defaultValue = "",
            description = "Also write intermediate forms beside the artifact, comma-separated: " + AotEmit.CHOICES + ".")
    String emit;

    @Option(names = "--name", paramLabel = "NAME", description = "The artifact's name (a C identifier); defaults to the function's.")
    String name;

    @Option(names = {"--out", "-o"}, required = true, paramLabel = "DIR", description = "The artifact directory (created).")
    Path out;

    @Override
    public Integer call() throws IOException {
        AotTarget t = AotTarget.parse(target);
        var emitted = AotEmit.parse(emit);
        List<FunctionOptions.Trace> traces = function.traces();
        List<AotEntry> entries = function.entries(traces);
        String artifactName = name != null ? name : FunctionOptions.defaultName(traces);
        Variables mode = function.variableMode();
        VariableNames variables = function.variableNames; // every trace's, in first-seen order
        String variablesFlag = variables.isEmpty() ? "none" : mode.flag();
        List<Variable> saved = new ArrayList<>();
        List<AotMetadata.VariableValue> values = new ArrayList<>();
        if (mode == Variables.ARGS) {
            for (var v : variables.all().entrySet()) {
                String file = "variables/" + saved.size() + "_" + v.getKey().replaceAll("[^A-Za-z0-9_.-]", "_") + ".npy";
                values.add(new AotMetadata.VariableValue(v.getKey(), file));
                saved.add(v.getValue());
            }
        }
        AotRequest request = new AotRequest(artifactName, t, entries, emitted, variablesFlag, values);
        PrintWriter o = spec.commandLine().getOut();
        if (t.gpu()) {
            GpuAotMetadata g = AotCompiler.compileGpu(request, out);
            saveVariables(saved, values);
            printGpu(o, g);
            return 0;
        }
        AotMetadata m = AotCompiler.compile(request, out);
        saveVariables(saved, values);
        o.println("wrote " + out.resolve(m.libraryFile()) + " (target " + m.target().name() + ", cpu " + m.target().cpu() + "):");
        for (AotMetadata.Entry e : m.entries()) {
            o.println("  " + e.symbol() + " " + e.paramTypes() + " -> " + e.resultTypes() + ", scratch " + e.scratchBytes() + " bytes");
        }
        o.flush();
        return 0;
    }

    private void saveVariables(List<Variable> saved, List<AotMetadata.VariableValue> values) throws IOException {
        if (!saved.isEmpty()) Files.createDirectories(out.resolve("variables"));
        for (int i = 0; i < saved.size(); i++) Npy.write(out.resolve(values.get(i).file()), saved.get(i).value().buffer());
    }

    private void printGpu(PrintWriter o, GpuAotMetadata g) {
        GpuAotMetadata.Assembler a = g.assembler();
        o.println("wrote " + out.resolve(GpuAotMetadata.FILE) + " (target " + g.target().sm() + ", PTX ISA " + g.target().ptxIsa() + ", "
                + (a.cubins() ? "cubins by " + a.tool() + " " + a.version() : "no cubins: " + a.note()) + "):");
        for (GpuAotMetadata.Program p : g.programs()) {
            o.println("  " + p.directory() + "/ " + p.params().stream().map(AotMetadata.Slot::type).toList() + " -> "
                    + p.results().stream().map(AotMetadata.Slot::type).toList() + ", " + p.kernels().size()
                    + (p.kernels().size() == 1 ? " kernel" : " kernels") + ", scratch " + p.scratchBytes() + " bytes");
        }
        o.flush();
    }
}
