package dev.tfjit.passes;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Block;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.Verifier;
import dev.tfjit.ir.ops.ControlFlowOps;
import dev.tfjit.runtime.Interpreter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.tfjit.ir.ops.ElementwiseOps.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential test: random graphs, full of the patterns the passes look for (neutral constants,
 * repeated subexpressions, constant subgraphs, dead nodes, conds on constant predicates), give
 * bit-identical results on the reference interpreter before and after the pipeline.
 */
class ResultsPreservedTest {
    private static final long SEED = 20240611L;
    private static final int GRAPHS = 300;
    private static final float[] SPECIAL = {0f, -0f, 1f, -1f, 2f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

    @Test
    void everyPassAndThePipelinePreserveResultsOnRandomGraphs() {
        Random rnd = new Random(SEED);
        List<Pass> singles = List.of(new AlgebraicSimplifier(), new ConstantFolding(), new CommonSubexpressionElimination(),
                new DeadCodeElimination());
        int shrunk = 0;
        for (int k = 0; k < GRAPHS; k++) {
            Graph g = randomGraph(rnd, "g" + k);
            List<List<Buffer>> inputs = List.of(randomInputs(rnd, g), randomInputs(rnd, g), randomInputs(rnd, g));
            Verifier.verify(g);
            for (Pass p : singles) check(g, p.run(g), inputs, p.name());
            PassManager.Result r = PassManager.simplification().withVerifier(Verifier::verify).runToFixedPoint(g);
            assertTrue(r.converged(), "no fixed point for\n" + g);
            check(g, r.graph(), inputs, "pipeline");
            if (countNodes(r.graph().body()) < countNodes(g.body())) shrunk++;
        }
        assertTrue(shrunk > GRAPHS * 9 / 10, "the generator should give the passes work to do; shrunk " + shrunk);
    }

    private static void check(Graph before, Graph after, List<List<Buffer>> inputs, String what) {
        Verifier.verify(after);
        assertEquals(before.resultTypes(), after.resultTypes(), what + " changed the signature");
        for (List<Buffer> in : inputs) {
            List<Buffer> want = Interpreter.run(before, in), got = Interpreter.run(after, in);
            for (int i = 0; i < want.size(); i++) {
                if (!sameBits(want.get(i), got.get(i))) {
                    fail(what + " changed result " + i + "\nbefore:\n" + before + "after:\n" + after);
                }
            }
        }
    }

    /** Bit equality, except that any NaN equals any NaN (payloads are not part of TF's contract). */
    private static boolean sameBits(Buffer a, Buffer b) {
        if (a.contentEquals(b)) return true;
        if (!a.type().equals(b.type()) || !a.dtype().isFloating()) return false;
        for (long i = 0; i < a.size(); i++) {
            double x = a.getDouble(i), y = b.getDouble(i);
            if (Double.doubleToRawLongBits(x) != Double.doubleToRawLongBits(y) && !(Double.isNaN(x) && Double.isNaN(y))) return false;
        }
        return true;
    }

    private static int countNodes(Block b) {
        int n = 0;
        for (var node : b.nodes()) {
            n++;
            for (Block r : node.regions()) n += countNodes(r);
        }
        return n;
    }

    // ---- generator

    private static final class Gen {
        final GraphDsl g;
        final Random rnd;
        final List<Value> floats = new ArrayList<>(), ints = new ArrayList<>();

        Gen(GraphDsl g, Random rnd) { this.g = g; this.rnd = rnd; }

        Value pick(List<Value> pool) { return pool.get(rnd.nextInt(pool.size())); }

        Value floatConstant() {
            float v = SPECIAL[rnd.nextInt(SPECIAL.length)];
            return switch (rnd.nextInt(3)) {
                case 0 -> g.f32(v);
                case 1 -> g.f32(Shape.of(3), v, v, v);
                default -> g.f32(Shape.of(2, 3), v, v, v, v, v, v);
            };
        }

        Value intConstant() {
            int v = rnd.nextInt(4) - 1;
            return rnd.nextBoolean() ? g.i32(v) : g.i32(Shape.of(3), v, v, v);
        }

        /** Adds one random node (or a repeat of an earlier computation) to the pools. */
        void step() {
            boolean isFloat = rnd.nextInt(3) > 0;
            List<Value> pool = isFloat ? floats : ints;
            Value v = switch (rnd.nextInt(10)) {
                case 0 -> isFloat ? floatConstant() : intConstant();
                case 1 -> g.op(NEG, pick(pool));
                case 2 -> isFloat ? g.op(EXP, pick(pool)) : g.op(NEG, g.op(NEG, pick(pool)));
                case 3 -> g.op(CAST, Attrs.of("dtype", isFloat ? DType.FLOAT32 : DType.INT32), pick(rnd.nextBoolean() ? floats : ints));
                case 4 -> isFloat ? g.op(DIV, pick(pool), rnd.nextBoolean() ? floatConstant() : pick(pool)) : g.op(SUB, pick(pool), intConstant());
                case 5 -> isFloat && rnd.nextInt(3) == 0 ? cond() : binary(ADD, pool);
                case 6 -> binary(SUB, pool);
                default -> binary(MUL, pool);
            };
            (v.dtype() == DType.FLOAT32 ? floats : ints).add(v);
        }

        Value binary(OpDef op, List<Value> pool) {
            Value a = pick(pool);
            Value b = rnd.nextBoolean() ? (pool == floats ? floatConstant() : intConstant()) : pick(pool);
            return rnd.nextBoolean() ? g.op(op, a, b) : g.op(op, b, a);
        }

        /** A cond on a (usually constant) predicate whose branches also capture outer values. */
        Value cond() {
            Value pred = rnd.nextBoolean() ? g.op(LESS, g.f32(rnd.nextInt(3)), g.f32(1)) : g.op(LESS, pick(scalarFloats()), g.f32(0));
            Value operand = g.op(MUL, pick(floats), g.f32(Shape.of(2, 3), 1, 1, 1, 1, 1, 1)); // [2,3] so both branches agree
            TensorType t = operand.type();
            var a = g.region(List.of(t));
            Block thenB = g.yield(g.op(ADD, g.op(MUL, a.get(0), g.f32(1)), pick(floats)));
            var b = g.region(List.of(t));
            Block elseB = g.yield(g.op(NEG, g.op(SUB, b.get(0), pick(floats))));
            return g.structured(ControlFlowOps.COND, List.of(pred, operand), thenB, elseB).get(0);
        }

        List<Value> scalarFloats() {
            List<Value> s = floats.stream().filter(v -> v.shape().isScalar()).toList();
            return s.isEmpty() ? List.of(g.f32(0.5f)) : s;
        }
    }

    private static Graph randomGraph(Random rnd, String name) {
        GraphDsl g = new GraphDsl(name);
        Gen gen = new Gen(g, rnd);
        gen.floats.add(g.param("x", DType.FLOAT32, 2, 3));
        gen.floats.add(g.param("y", DType.FLOAT32, 3));
        gen.floats.add(g.param("s", DType.FLOAT32));
        gen.ints.add(g.param("i", DType.INT32, 3));
        int steps = 6 + rnd.nextInt(20);
        for (int k = 0; k < steps; k++) gen.step();
        List<Value> results = new ArrayList<>();
        results.add(gen.floats.get(gen.floats.size() - 1));
        results.add(gen.pick(gen.floats));
        results.add(gen.ints.get(gen.ints.size() - 1));
        return g.ret(results.toArray(Value[]::new));
    }

    private static List<Buffer> randomInputs(Random rnd, Graph g) {
        List<Buffer> in = new ArrayList<>();
        for (TensorType t : g.paramTypes()) {
            int n = (int) t.shape().numElements();
            if (t.dtype() == DType.INT32) {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) v[i] = rnd.nextInt(7) - 3;
                in.add(Buffer.ofInts(t.shape(), v));
            } else {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) v[i] = rnd.nextInt(4) == 0 ? SPECIAL[rnd.nextInt(SPECIAL.length)] : (float) rnd.nextGaussian() * 3;
                in.add(Buffer.ofFloats(t.shape(), v));
            }
        }
        return in;
    }
}
