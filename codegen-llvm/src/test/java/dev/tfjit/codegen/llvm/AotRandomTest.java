package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.kernels.random.PhiloxStreams;
import dev.tfjit.runtime.Interpreter;
import dev.tfjit.runtime.aot.AotFunction;
import dev.tfjit.runtime.aot.AotMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Random ops in ahead-of-time artifacts: the artifact keeps each stream's state
 * ({@link AotFunction} from Java, the caller from C), starting at its seeds when loaded and
 * continuing across calls, so an artifact's calls repeat the interpreter's calls from fresh streams.
 */
class AotRandomTest {
    @TempDir Path dir;

    @AfterEach
    void forgetStreams() { PhiloxStreams.reset(); }

    /** Dropout's mask with a random normal added: two generators, one of them shaped by the batch. */
    private static final String NOISY_DROPOUT = """
            func @noisy(%x: f32[?,5]) -> (f32[?,5], f32[3]) {
              %u = random_uniform {shape=[1,5], dtype=f32, seed=12, seed2=34, stream=51} : f32[1,5]
              %rate = constant {value=dense<f32[]: 0.5>} : f32[]
              %keep = greater_equal %u, %rate : bool[1,5]
              %m = cast %keep {dtype=f32} : f32[1,5]
              %y = mul %x, %m : f32[?,5]
              %n = random_standard_normal {shape=[3], dtype=f32, seed=12, seed2=35, stream=52} : f32[3]
              return %y, %n
            }
            """;

    private static Buffer x(int rows) {
        Buffer b = Buffer.allocate(dev.tfjit.ir.DType.FLOAT32, Shape.of(rows, 5));
        for (int i = 0; i < b.size(); i++) b.setDouble(i, i + 1);
        return b;
    }

    @Test
    void anArtifactContinuesItsStreamsAcrossCallsAsTheInterpreterDoes() {
        Graph g = Oracle.parse(NOISY_DROPOUT);
        AotMetadata m = AotCompiler.compile(new AotRequest("noisy", AotTarget.parse("host"),
                List.of(AotEntry.of(g, List.of(Shape.of(4, 5))), AotEntry.of(g, List.of(Shape.of(1, 5)))), Set.of(), "none", List.of()), dir);
        assertEquals(List.of(new AotMetadata.Generator("random_uniform:f32#51", 12, 34), new AotMetadata.Generator("random_standard_normal:f32#52", 12, 35)),
                m.entries().get(0).generators());
        // Entries of one function share its streams, as the JIT's specializations of it do: alternate them.
        int[] rows = {4, 1, 4, 4, 1};
        PhiloxStreams.reset();
        List<List<Buffer>> want = new ArrayList<>();
        for (int r : rows) want.add(Interpreter.run(g, List.of(x(r))));
        AotFunction a = AotFunction.load(dir);
        for (int c = 0; c < rows.length; c++) {
            List<Buffer> got = a.run(x(rows[c]));
            for (int i = 0; i < 2; i++) Oracle.assertClose(want.get(c).get(i), got.get(i), 0, "call " + c);
        }
        // Loading again starts the streams over.
        Oracle.assertClose(want.get(0).get(1), AotFunction.load(dir).run(x(4)).get(1), 0, "a fresh load");
    }

    /** TF's dropout over an unknown batch: the mask's shape is {@code shape(x)}, concrete in each entry. */
    @Test
    void aMaskShapedByTheBatchIsCompiledPerEntryAndRepeatsTheInterpreter() {
        Graph g = Oracle.parse("""
                func @drop(%x: f32[?,5]) -> f32[?,5] {
                  %s = shape %x : i32[2]
                  %u = random_uniform %s {dtype=f32, seed=12, seed2=36, shape=[-1, 5], stream=53} : f32[?,5]
                  %rate = constant {value=dense<f32[]: 0.5>} : f32[]
                  %keep = greater_equal %u, %rate : bool[?,5]
                  %m = cast %keep {dtype=f32} : f32[?,5]
                  %y = mul %x, %m : f32[?,5]
                  return %y
                }
                """);
        AotCompiler.compile(new AotRequest("drop", AotTarget.parse("host"),
                List.of(AotEntry.of(g, List.of(Shape.of(4, 5))), AotEntry.of(g, List.of(Shape.of(3, 5)))), Set.of(), "none", List.of()), dir);
        int[] rows = {4, 3, 4};
        PhiloxStreams.reset();
        List<Buffer> want = new ArrayList<>();
        for (int r : rows) want.add(Interpreter.run(g, List.of(x(r))).get(0));
        AotFunction a = AotFunction.load(dir);
        for (int c = 0; c < rows.length; c++) Oracle.assertClose(want.get(c), a.run(x(rows[c])).get(0), 0, "call " + c);
    }

    @Test
    void aCProgramKeepsTheGeneratorStatesTheHeaderDescribes() throws Exception {
        assumeTrue(CClient.onPath("gcc"), "gcc is not installed: skipping the C client test");
        Graph g = Oracle.parse(NOISY_DROPOUT);
        Path art = dir.resolve("c");
        AotCompiler.compile(new AotRequest("crandom", AotTarget.parse("host"), List.of(AotEntry.of(g, List.of(Shape.of(4, 5)))),
                Set.of(), "none", List.of()), art);
        String header = Files.readString(art.resolve("crandom.h"));
        assertTrue(header.contains("#define TFJIT_AOT_CRANDOM_0_NUM_GENERATORS 2"), header);
        assertTrue(header.contains("#define TFJIT_AOT_CRANDOM_0_GENERATOR1_SEED2 35ULL"), header);
        Path main = dir.resolve("main.c");
        Files.writeString(main, """
                #include <stdint.h>
                #include <stdio.h>
                #include <stdlib.h>
                #include <string.h>
                #include "crandom.h"
                static void *buffer(size_t bytes) { void *p = aligned_alloc(64, (bytes + 63) / 64 * 64 + 64); memset(p, 0, (bytes + 63) / 64 * 64 + 64); return p; }
                int main(void) {
                    if (!tfjit_aot_crandom_cpu_supported()) return 2;
                    uint64_t *g0 = buffer(64), *g1 = buffer(64);
                    g0[1] = TFJIT_AOT_CRANDOM_0_GENERATOR0_SEED2; g0[2] = TFJIT_AOT_CRANDOM_0_GENERATOR0_SEED;
                    g1[1] = TFJIT_AOT_CRANDOM_0_GENERATOR1_SEED2; g1[2] = TFJIT_AOT_CRANDOM_0_GENERATOR1_SEED;
                    float *x = buffer(TFJIT_AOT_CRANDOM_0_ARG0_BYTES);
                    for (int i = 0; i < TFJIT_AOT_CRANDOM_0_ARG0_ELEMENTS; i++) x[i] = i + 1;
                    void *args[1 + TFJIT_AOT_CRANDOM_0_NUM_GENERATORS] = {x, g0, g1};
                    float *y = buffer(TFJIT_AOT_CRANDOM_0_RESULT0_BYTES), *n = buffer(TFJIT_AOT_CRANDOM_0_RESULT1_BYTES);
                    void *results[2] = {y, n};
                    void *scratch = TFJIT_AOT_CRANDOM_0_SCRATCH_BYTES ? buffer(TFJIT_AOT_CRANDOM_0_SCRATCH_BYTES) : NULL;
                    int status = 0;
                    for (int call = 0; call < 2; call++) {
                        status |= tfjit_aot_crandom_0(args, results, scratch);
                        for (int i = 0; i < TFJIT_AOT_CRANDOM_0_RESULT0_ELEMENTS; i++) printf("%.9g\\n", y[i]);
                        for (int i = 0; i < TFJIT_AOT_CRANDOM_0_RESULT1_ELEMENTS; i++) printf("%.9g\\n", n[i]);
                    }
                    return status;
                }
                """);
        String out = CClient.buildAndRun(dir, art, main, "crandom");
        String[] printed = out.strip().split("\\s+");
        PhiloxStreams.reset();
        List<Float> want = new ArrayList<>();
        for (int call = 0; call < 2; call++) {
            for (Buffer b : Interpreter.run(g, List.of(x(4)))) for (float v : b.toFloatArray()) want.add(v);
        }
        assertEquals(want.size(), printed.length, out);
        for (int i = 0; i < printed.length; i++) assertEquals(want.get(i), Float.parseFloat(printed[i]), "value " + i + "\n" + out);
    }

}
