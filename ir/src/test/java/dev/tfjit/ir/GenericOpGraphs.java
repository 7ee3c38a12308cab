package dev.tfjit.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One-node graphs for any op without regions, found by trying common signatures until the op's
 * type rule accepts one; then the same signature with unknown dims and unknown rank, where the
 * rule accepts those too. This lets round-trip tests cover ops added after they were written.
 */
final class GenericOpGraphs {
    private GenericOpGraphs() {}

    private static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64, DType.BOOL, DType.STRING,
            DType.INT8, DType.UINT8, DType.INT16, DType.FLOAT16, DType.BFLOAT16};

    private static final List<Shape> SHAPES = List.of(Shape.of(2, 3), Shape.of(-1, 3), Shape.unknownRank(), Shape.SCALAR);

    private static List<Attrs> attrCandidates() {
        List<Attrs> c = new ArrayList<>();
        c.add(Attrs.EMPTY);
        c.add(Attrs.of("value", Buffer.ofFloats(Shape.of(2, 3), 1, -0f, Float.NaN, 4, 5, 6)));
        for (DType t : List.of(DType.FLOAT32, DType.INT32, DType.INT64, DType.FLOAT64)) {
            c.add(Attrs.of("dtype", t));
            c.add(Attrs.of("dtype", t, "shape", Shape.of(2, 3)));
            c.add(Attrs.of("dtype", t, "shape", new long[]{2, 3}));
        }
        for (long axis : new long[]{1, 0, -1}) {
            c.add(Attrs.of("axis", axis));
            c.add(Attrs.of("axes", new long[]{axis}));
            c.add(Attrs.of("axes", new long[]{axis}, "keepdims", false));
            c.add(Attrs.of("axis", axis, "keepdims", true));
        }
        c.add(Attrs.of("shape", Shape.of(3, 2)));
        c.add(Attrs.of("shape", new long[]{3, 2}));
        c.add(Attrs.of("perm", new long[]{1, 0}));
        c.add(Attrs.of("transpose_a", false, "transpose_b", false));
        return c;
    }

    static List<Graph> graphsFor(OpDef op) {
        if (op.numRegions() != 0) return List.of();
        int maxArity = op.maxInputs() < 0 ? Math.max(op.minInputs(), 3) : Math.min(op.maxInputs(), op.minInputs() + 2);
        for (int arity = op.minInputs(); arity <= maxArity; arity++) {
            for (Attrs attrs : attrCandidates()) {
                for (DType dtype : DTYPES) {
                    List<Graph> graphs = new ArrayList<>();
                    for (Shape shape : SHAPES) {
                        TensorType t = new TensorType(dtype, shape);
                        List<TensorType> in = Collections.nCopies(arity, t);
                        if (!accepts(op, in, attrs)) {
                            if (graphs.isEmpty()) break; // the known-shape form comes first; without it, try the next signature
                            continue;
                        }
                        graphs.add(oneNode(op, in, attrs, graphs.size()));
                        if (arity == 0) break; // inputs' shapes do not matter
                    }
                    if (!graphs.isEmpty()) return graphs;
                }
            }
        }
        return List.of();
    }

    private static boolean accepts(OpDef op, List<TensorType> in, Attrs attrs) {
        try {
            op.inferTypes(in, attrs);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Graph oneNode(OpDef op, List<TensorType> in, Attrs attrs, int variant) {
        GraphBuilder b = new GraphBuilder(op.name() + "_" + variant);
        List<Value> params = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) params.add(b.param(in.get(i), i == 0 ? "x" : null));
        List<Value> out = b.add(op, params, attrs, List.of(), new SourceLocation("Generic.java", 1 + variant));
        return b.build(out);
    }
}
