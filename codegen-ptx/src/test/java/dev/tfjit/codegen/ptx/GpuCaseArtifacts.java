package dev.tfjit.codegen.ptx;

import dev.tfjit.codegen.llvm.AotCompiler;
import dev.tfjit.codegen.llvm.AotEmit;
import dev.tfjit.codegen.llvm.AotEntry;
import dev.tfjit.codegen.llvm.AotRequest;
import dev.tfjit.codegen.llvm.AotTarget;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.TfException;
import dev.tfjit.runtime.Interpreter;

import java.io.IOException;
import java.io.Writer;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * Writes the differential cases ({@link GpuCases}) as GPU artifacts for a machine that has a GPU
 * but no LLVM ({@code tools/gpu-bundle.sh}): per case a directory holding the artifact
 * ({@code tfjit compile --target SM}'s layout), its inputs for two seeds as raw little-endian
 * bytes, and what the interpreter computed: the results, or the error message. The GPU side
 * ({@code dev.tfjit.benchmarks.gpu.GpuCheck}) needs only the ir and runtime jars.
 * <pre>
 * java -cp ... dev.tfjit.codegen.ptx.GpuCaseArtifacts OUT_DIR sm_90
 * </pre>
 */
public final class GpuCaseArtifacts {
    private GpuCaseArtifacts() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: GpuCaseArtifacts OUT_DIR SM");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        List<GpuCases.Case> cases = GpuCases.all();
        for (int k = 0; k < cases.size(); k++) {
            GpuCases.Case c = cases.get(k);
            Path dir = out.resolve(String.format("%02d", k));
            AotCompiler.compileGpu(new AotRequest("case", AotTarget.parse(args[1]), List.of(AotEntry.of(c.graph(), c.shapes())),
                    Set.of(AotEmit.OPTIMIZED_IR), "none", List.of()), dir);
            Properties p = new Properties();
            p.setProperty("name", c.name());
            p.setProperty("tolerance", Double.toString(c.relTolerance()));
            for (int seed = 0; seed < 2; seed++) {
                List<Buffer> inputs = GpuCases.inputs(c, seed);
                for (int i = 0; i < inputs.size(); i++) write(dir.resolve("seed" + seed + ".in" + i + ".bin"), inputs.get(i));
                try {
                    List<Buffer> want = Interpreter.run(c.graph(), inputs);
                    for (int i = 0; i < want.size(); i++) write(dir.resolve("seed" + seed + ".want" + i + ".bin"), want.get(i));
                } catch (TfException e) {
                    p.setProperty("seed" + seed + ".error", e.getMessage());
                }
            }
            try (Writer w = Files.newBufferedWriter(dir.resolve("case.properties"), StandardCharsets.UTF_8)) {
                p.store(w, "a tfjit GPU differential case");
            }
            System.out.println("wrote " + dir + ": " + c.name());
        }
    }

    private static void write(Path file, Buffer b) throws IOException {
        Files.write(file, b.segment().asSlice(0, b.size() * b.dtype().byteSize()).toArray(ValueLayout.JAVA_BYTE));
    }
}
