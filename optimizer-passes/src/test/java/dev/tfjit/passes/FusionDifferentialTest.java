package dev.tfjit.passes;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.GraphBuilder;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.Verifier;
import dev.tfjit.ir.ops.ArrayOps;
import dev.tfjit.ir.ops.CreationOps;
import dev.tfjit.ir.ops.ElementwiseOps;
import dev.tfjit.ir.ops.FusionOps;
import dev.tfjit.ir.ops.LinalgOps;
import dev.tfjit.ir.ops.ReductionOps;
import dev.tfjit.runtime.Interpreter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random graphs (fixed seeds) of elementwise, broadcast-like, reduction and matmul ops give
 * bit-identical results on the reference interpreter before and after fusion, and the fused
 * graphs verify. A failure prints the graph as IR text.
 */
class FusionDifferentialTest {
    private static final int GRAPHS = 300;
    private static final List<OpDef> UNARY = List.of(ElementwiseOps.NEG, ElementwiseOps.ABS, ElementwiseOps.EXP,
            ElementwiseOps.TANH, ElementwiseOps.SIGMOID, ElementwiseOps.SQUARE, ElementwiseOps.RELU);
    private static final List<OpDef> BINARY = List.of(ElementwiseOps.ADD, ElementwiseOps.MUL, ElementwiseOps.SUB,
            ElementwiseOps.MAXIMUM, ElementwiseOps.DIV);

    @Test
    void fusedGraphsComputeBitIdenticalResults() {
        int fusions = 0;
        for (int seed = 0; seed < GRAPHS; seed++) {
            Random rnd = new Random(seed);
            Graph g = randomGraph(rnd, "g" + seed);
            Graph fused = new FusionPass().run(g);
            try {
                Verifier.verify(fused);
                List<Buffer> args = new ArrayList<>();
                for (TensorType t : g.paramTypes()) args.add(randomBuffer(rnd, t.shape()));
                List<Buffer> expected = Interpreter.run(g, args), actual = Interpreter.run(fused, args);
                assertEquals(expected.size(), actual.size());
                for (int i = 0; i < expected.size(); i++) {
                    assertTrue(expected.get(i).contentEquals(actual.get(i)), "result " + i + " differs");
                }
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("seed " + seed + ":\n" + g + "\nfused:\n" + fused, e);
            }
            fusions += (int) fused.body().nodes().stream().filter(n -> n.op() == FusionOps.FUSION).count();
        }
        assertTrue(fusions > GRAPHS, "the generator should produce graphs that fuse, got " + fusions + " fusions");
    }

    private static Buffer randomBuffer(Random rnd, Shape s) {
        float[] v = new float[(int) s.numElements()];
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * 2);
        return Buffer.ofFloats(s, v);
    }

    /** A graph over params x:[2,3], y:[2,3], v:[3], s:[] and m:[3,2], of 4 to 14 random ops. */
    private static Graph randomGraph(Random rnd, String name) {
        GraphBuilder b = new GraphBuilder(name);
        List<Value> pool = new ArrayList<>();
        pool.add(b.param(TensorType.of(DType.FLOAT32, 2, 3), "x"));
        pool.add(b.param(TensorType.of(DType.FLOAT32, 2, 3), "y"));
        pool.add(b.param(TensorType.of(DType.FLOAT32, 3), "v"));
        pool.add(b.param(TensorType.of(DType.FLOAT32), "s"));
        pool.add(b.param(TensorType.of(DType.FLOAT32, 3, 2), "m"));
        int ops = 4 + rnd.nextInt(11);
        for (int k = 0; k < ops; k++) {
            Value a = pool.get(rnd.nextInt(pool.size()));
            Value out = switch (rnd.nextInt(9)) {
                case 0, 1 -> add(b, UNARY.get(rnd.nextInt(UNARY.size())), Attrs.EMPTY, a);
                case 2, 3, 4 -> {
                    List<Value> partners = pool.stream().filter(p -> broadcastable(a.shape(), p.shape())).toList();
                    Value p = partners.get(rnd.nextInt(partners.size()));
                    yield rnd.nextBoolean() ? add(b, BINARY.get(rnd.nextInt(BINARY.size())), Attrs.EMPTY, a, p)
                            : add(b, BINARY.get(rnd.nextInt(BINARY.size())), Attrs.EMPTY, p, a);
                }
                case 5 -> a.shape().rank() == 2
                        ? add(b, rnd.nextBoolean() ? ReductionOps.REDUCE_SUM : ReductionOps.REDUCE_MAX,
                                Attrs.of("axis", new long[] {rnd.nextInt(2)}, "keepdims", rnd.nextBoolean()), a)
                        : add(b, ReductionOps.REDUCE_SUM, Attrs.EMPTY, a);
                case 6 -> a.shape().rank() == 2 ? add(b, ArrayOps.TRANSPOSE, Attrs.of("perm", new long[] {1, 0}), a)
                        : a.shape().rank() == 1 ? add(b, ArrayOps.BROADCAST_TO, Attrs.of("shape", new long[] {2, a.shape().dim(0)}), a)
                        : add(b, ArrayOps.RESHAPE, Attrs.of("shape", new long[] {1}), a);
                case 7 -> {
                    Value m = pool.stream().filter(p -> p.shape().rank() == 2 && a.shape().rank() == 2
                            && p.shape().dim(0) == a.shape().dim(1)).findFirst().orElse(null);
                    yield m == null ? add(b, ElementwiseOps.NEG, Attrs.EMPTY, a) : add(b, LinalgOps.MATMUL, Attrs.EMPTY, a, m);
                }
                default -> {
                    Value c = b.add1(CreationOps.CONSTANT, List.of(),
                            Attrs.of("value", Buffer.ofFloats(Shape.SCALAR, (float) rnd.nextInt(5) - 2)), SourceLocation.UNKNOWN);
                    yield add(b, ElementwiseOps.MUL, Attrs.EMPTY, a, c);
                }
            };
            pool.add(out);
        }
        List<Value> results = new ArrayList<>();
        results.add(pool.get(pool.size() - 1));
        for (int i = 5; i < pool.size() - 1; i++) if (rnd.nextInt(4) == 0) results.add(pool.get(i));
        return b.build(results);
    }

    private static Value add(GraphBuilder b, OpDef op, Attrs attrs, Value... in) {
        return b.add1(op, List.of(in), attrs, SourceLocation.UNKNOWN);
    }

    /** True when {@code p} broadcasts into {@code a}'s shape without changing it. */
    private static boolean broadcastable(Shape a, Shape p) {
        if (p.rank() > a.rank()) return false;
        for (int i = 1; i <= p.rank(); i++) if (p.dim(-i) != 1 && p.dim(-i) != a.dim(-i)) return false;
        return true;
    }
}
