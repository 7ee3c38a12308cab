package dev.tfjit.codegen.llvm;

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
import dev.tfjit.ir.ops.ElementwiseOps;
import dev.tfjit.ir.ops.ReductionOps;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random graphs of exact elementwise ops, broadcasts and reductions (random dims including 0
 * and 1, random axes and keepdims), compiled and compared bit for bit with the interpreter.
 * Fixed seeds keep it reproducible and CI-sized; a failure prints the graph's IR.
 */
class DifferentialFuzzTest {
    private static final OpDef[] BINARY = {ElementwiseOps.ADD, ElementwiseOps.SUB, ElementwiseOps.MUL, ElementwiseOps.DIV,
            ElementwiseOps.MAXIMUM, ElementwiseOps.MINIMUM, ElementwiseOps.SQUARED_DIFFERENCE};
    private static final OpDef[] UNARY = {ElementwiseOps.NEG, ElementwiseOps.ABS, ElementwiseOps.SQUARE, ElementwiseOps.RELU,
            ElementwiseOps.FLOOR, ElementwiseOps.SQRT, ElementwiseOps.SIGN};
    private static final OpDef[] REDUCE = {ReductionOps.REDUCE_SUM, ReductionOps.REDUCE_MEAN, ReductionOps.REDUCE_MAX,
            ReductionOps.REDUCE_MIN, ReductionOps.REDUCE_PROD};

    @Test
    void randomGraphsMatchTheInterpreterBitForBit() {
        for (long seed = 0; seed < 60; seed++) {
            Random r = new Random(seed);
            DType t = r.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
            int[] dims = {pick(r), pick(r), pick(r)};
            GraphBuilder b = new GraphBuilder("fuzz" + seed);
            List<Value> pool = new ArrayList<>();
            List<Buffer> args = new ArrayList<>();
            int params = 1 + r.nextInt(3);
            for (int i = 0; i < params; i++) {
                Shape s = broadcastable(r, dims);
                pool.add(b.param(new TensorType(t, Shape.unknownDims(s.rank())), "p" + i));
                args.add(TestData.mixed(t, s, seed * 10 + i));
            }
            int nodes = 2 + r.nextInt(8);
            for (int i = 0; i < nodes; i++) {
                Value x = pool.get(r.nextInt(pool.size()));
                SourceLocation loc = new SourceLocation("Fuzz.java", i);
                Value out;
                int choice = r.nextInt(10);
                if (choice < 5) {
                    Value y = pool.get(r.nextInt(pool.size()));
                    out = b.add1(BINARY[r.nextInt(BINARY.length)], List.of(x, y), Attrs.EMPTY, loc);
                } else if (choice < 8) {
                    out = b.add1(UNARY[r.nextInt(UNARY.length)], List.of(x), Attrs.EMPTY, loc);
                } else {
                    int rank = x.shape().rank();
                    List<Long> axes = new ArrayList<>();
                    for (int d = 0; d < rank; d++) if (r.nextBoolean()) axes.add((long) (r.nextBoolean() ? d : d - rank));
                    Attrs a = Attrs.of("axis", axes.stream().mapToLong(Long::longValue).toArray(), "keepdims", r.nextBoolean());
                    out = b.add1(REDUCE[r.nextInt(REDUCE.length)], List.of(x), a, loc);
                }
                pool.add(out);
            }
            List<Value> results = List.of(pool.getLast(), pool.get(r.nextInt(pool.size())));
            Graph g = b.build(results);
            ElementwiseOpsTest.assertSameOrSameError(g, args, 0);
        }
    }

    private static int pick(Random r) {
        int[] sizes = {0, 1, 1, 2, 3, 5, 8, 17, 33};
        return sizes[r.nextInt(sizes.length)];
    }

    /** A shape that broadcasts to {@code dims}: a suffix of it, with some dims replaced by 1. */
    private static Shape broadcastable(Random r, int[] dims) {
        int rank = r.nextInt(dims.length + 1);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            int d = dims[dims.length - rank + i];
            s[i] = r.nextInt(4) == 0 ? 1 : d;
        }
        return Shape.of(s);
    }
}
