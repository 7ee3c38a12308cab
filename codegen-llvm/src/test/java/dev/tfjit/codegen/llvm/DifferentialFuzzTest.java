package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.kernels.random.PhiloxStreams;
import dev.tfjit.runtime.Interpreter;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random graphs ({@link FuzzGraphs}) compiled and compared bit for bit with the interpreter, or
 * failing with the interpreter's exact error. Fixed seeds keep CI reproducible and small;
 * {@code -Dtfjit.fuzz.graphs=N} (the {@code -Pfuzz} profile) runs N graphs from
 * {@code -Dtfjit.fuzz.seed}. A failing case is shrunk by {@link GraphMinimizer} and printed as
 * IR text with its arguments.
 */
class DifferentialFuzzTest {
    /** Graphs per CI run: every op family appears hundreds of times, in about half a minute on two cores. */
    private static final int CI_GRAPHS = 1000;

    @Test
    void randomGraphsMatchTheInterpreterBitForBit() {
        int graphs = Integer.getInteger("tfjit.fuzz.graphs", CI_GRAPHS);
        long first = Long.getLong("tfjit.fuzz.seed", 0L);
        long start = System.nanoTime();
        for (long seed = first; seed < first + graphs; seed++) {
            FuzzGraphs.Case c = FuzzGraphs.generate(seed);
            String problem = mismatch(c);
            if (problem == null) continue;
            FuzzGraphs.Case small = GraphMinimizer.minimize(c, k -> mismatch(k) != null);
            fail("fuzz seed " + seed + ": " + problem + "\nminimized to:\n" + small.graph() + describe(small.args())
                    + "\nminimized case: " + mismatch(small) + "\noriginal:\n" + c.graph());
        }
        if (System.getProperty("tfjit.fuzz.graphs") != null) {
            System.out.printf("fuzz: %d graphs from seed %d matched the interpreter in %.1f s%n", graphs, first, (System.nanoTime() - start) / 1e9);
        }
    }

    @Test
    void theCiSeedsCoverEveryOpFamilyAndErrorPaths() {
        Map<String, Integer> ops = new TreeMap<>();
        int failing = 0;
        for (long seed = 0; seed < CI_GRAPHS; seed++) {
            FuzzGraphs.Case c = FuzzGraphs.generate(seed);
            count(c.graph().body(), ops);
            try {
                Interpreter.run(c.graph(), c.args());
            } catch (TfException e) {
                failing++;
            }
        }
        for (String op : List.of("add", "floor_div", "reduce_sum", "slice", "strided_slice", "concat", "pad", "gather", "tile", "reverse",
                "transpose", "reshape", "cast", "cumsum", "matmul", "cond", "while", "tensor_array_write", "tensor_array_read",
                "random_shuffle", "random_uniform_int")) {
            assertTrue(ops.getOrDefault(op, 0) >= 10, op + " appears " + ops.getOrDefault(op, 0) + " times: " + ops);
        }
        assertTrue(failing >= 5 && failing < CI_GRAPHS / 4, failing + " of the graphs fail in the interpreter");
    }

    @Test
    void theCiSeedsFuseConcatPadAndStridedSlicesIntoTheirReaders() {
        Map<String, Integer> fused = new TreeMap<>();
        for (long seed = 0; seed < CI_GRAPHS; seed++) {
            FuzzGraphs.Case c = FuzzGraphs.generate(seed);
            ConcreteTypes types = ConcreteTypes.infer(c.graph(), c.args().stream().map(Buffer::shape).toList());
            FusionPlan plan = FusionPlan.of(c.graph(), types);
            for (Node n : c.graph().body().nodes()) {
                if (n.outputs().size() != 1) continue;
                if (plan.isPieced(n.output())) fused.merge("pieced " + n.op().name(), 1, Integer::sum);
                if (plan.isView(n.output())) fused.merge("view " + n.op().name(), 1, Integer::sum);
            }
        }
        for (String kind : List.of("pieced concat", "pieced stack", "pieced pad", "pieced tile", "view strided_slice")) {
            assertTrue(fused.getOrDefault(kind, 0) >= 10, kind + ": " + fused);
        }
    }

    @Test
    void theCiSeedsFuseSiblingKernelsIntoOneLoop() {
        int groups = 0, members = 0, inRegions = 0;
        for (long seed = 0; seed < CI_GRAPHS; seed++) {
            FuzzGraphs.Case c = FuzzGraphs.generate(seed);
            ConcreteTypes types = ConcreteTypes.infer(c.graph(), c.args().stream().map(Buffer::shape).toList());
            FusionPlan plan = FusionPlan.of(c.graph(), types);
            for (FusionPlan.SiblingGroup g : plan.siblingGroups()) {
                groups++;
                members += g.members().size();
                if (!c.graph().body().nodes().contains(g.last())) inRegions++;
            }
        }
        assertTrue(groups >= 200, groups + " sibling groups");
        assertTrue(members > 2 * groups, "some groups have more than two members: " + members + " members in " + groups + " groups");
        assertTrue(inRegions >= 20, inRegions + " sibling groups inside while/cond regions");
    }

    /** Many CI graphs are big enough to be compiled in sections, so the fuzzer checks the cut too. */
    @Test
    void theCiSeedsCompileBigGraphsInSections() {
        int cut = 0;
        for (long seed = 0; seed < CI_GRAPHS; seed++) {
            FuzzGraphs.Case c = FuzzGraphs.generate(seed);
            ConcreteTypes types = ConcreteTypes.infer(c.graph(), c.args().stream().map(Buffer::shape).toList());
            if (!Sections.starts(c.graph().body().nodes(), FusionPlan.of(c.graph(), types), NativeJit.SECTIONS).isEmpty()) cut++;
        }
        assertTrue(cut >= 100, cut + " of " + CI_GRAPHS + " graphs are cut into sections");
    }

    private static void count(Block b, Map<String, Integer> ops) {
        for (Node n : b.nodes()) {
            ops.merge(n.op().name(), 1, Integer::sum);
            for (Block r : n.regions()) count(r, ops);
        }
    }

    @Test
    void aFailingCaseIsMinimizedToTheNodeThatFails() {
        // A "bug": any graph with a reverse fails. The minimized case keeps a reverse and little else.
        FuzzGraphs.Case c = null;
        for (long seed = 0; c == null; seed++) {
            FuzzGraphs.Case k = FuzzGraphs.generate(seed);
            if (k.graph().toString().contains(" = reverse ") && k.graph().body().nodes().size() > 6) c = k;
        }
        java.util.function.Predicate<FuzzGraphs.Case> hasReverse = k -> k.graph().toString().contains(" = reverse ");
        FuzzGraphs.Case small = GraphMinimizer.minimize(c, hasReverse);
        assertTrue(hasReverse.test(small));
        long nonConstant = small.graph().body().nodes().stream().filter(n -> !n.op().name().equals("constant")).count();
        assertEquals(1, nonConstant, small.graph().toString());
        assertEquals(small.graph().params().size(), small.args().size());
        Interpreter.run(small.graph(), small.args()); // a well-formed case with its arguments
    }

    /** Why the compiled case disagrees with the interpreter, or null when it agrees. Both start from fresh random streams. */
    static String mismatch(FuzzGraphs.Case c) {
        List<Buffer> want;
        try {
            PhiloxStreams.reset();
            want = Interpreter.run(c.graph(), c.args());
        } catch (TfException e) {
            try {
                PhiloxStreams.reset();
                new LlvmBackend().compile(c.graph()).run(c.args());
                return "the interpreter fails with " + e + " but the compiled function does not";
            } catch (TfException got) {
                if (got.getClass() != e.getClass() || !got.getMessage().equals(e.getMessage())) {
                    return "the interpreter fails with " + e + " but the compiled function with " + got;
                }
                return null;
            } catch (RuntimeException bug) {
                return "the compiled function crashes: " + bug;
            }
        }
        List<Buffer> got;
        try {
            PhiloxStreams.reset();
            got = new LlvmBackend().compile(c.graph()).run(c.args());
        } catch (RuntimeException e) {
            return "the compiled function fails: " + e;
        }
        for (int i = 0; i < want.size(); i++) {
            Buffer w = want.get(i), g = got.get(i);
            if (!w.type().equals(g.type())) return "result " + i + " is " + g.type() + ", the interpreter's " + w.type();
            for (long j = 0; j < w.size(); j++) {
                if (Oracle.ulpDistance(w, g, j) != 0 || Oracle.zeroSignDiffers(w, g, j)) {
                    return "result " + i + " element " + j + ": interpreter " + w.getDouble(j) + ", compiled " + g.getDouble(j);
                }
            }
        }
        return null;
    }

    private static String describe(List<Buffer> args) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            Buffer a = args.get(i);
            double[] v = new double[(int) Math.min(a.size(), 64)];
            for (int j = 0; j < v.length; j++) v[j] = a.getDouble(j);
            sb.append("\narg ").append(i).append(": ").append(a.type()).append(' ').append(Arrays.toString(v))
                    .append(a.size() > v.length ? " ..." : "");
        }
        return sb.toString();
    }
}
