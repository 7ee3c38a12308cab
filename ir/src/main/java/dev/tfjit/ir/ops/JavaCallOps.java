package dev.tfjit.ir.ops;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Block;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.ir.kernels.JavaCallbacks;

import java.util.ArrayList;
import java.util.List;

/**
 * Escape hatches: ops whose kernel calls back into the JVM, like TensorFlow's
 * {@code py_function}. They are side effects (never folded, merged, removed or reordered), so the
 * compiler cannot optimize across them, and an ahead-of-time artifact cannot contain them.
 */
public final class JavaCallOps {
    private JavaCallOps() {}

    /**
     * {@code %r0, %r1 = java_function %a, %b {callback=7, Tout="f32,i64", shape0=[?], shape1=[]}}:
     * runs the registered Java callback on the input values. The declared result types are what
     * the rest of the graph is typed with; the kernel checks each result against them.
     */
    public static final OpDef JAVA_FUNCTION = OpDef.op("java_function").variadic(0)
            .effect(OpDef.Effect.SIDE_EFFECT)
            .types((in, a, r) -> declaredResults(a))
            .kernel((in, a, r) -> {
                List<TensorType> declared = declaredResults(a);
                List<Buffer> out = JavaCallbacks.call(a.getLong("callback"), in);
                if (out.size() != declared.size()) {
                    throw new dev.tfjit.ir.InvalidArgumentError("the Java function returned " + out.size()
                            + " tensors but was declared to return " + declared.size());
                }
                for (int i = 0; i < out.size(); i++) {
                    TensorType want = declared.get(i);
                    Buffer got = out.get(i);
                    if (got.dtype() != want.dtype()) {
                        throw new DTypeError("result " + i + " of the Java function has dtype " + got.dtype()
                                + " but was declared as " + want.dtype());
                    }
                    if (!want.shape().accepts(got.shape())) {
                        throw new ShapeError("result " + i + " of the Java function has shape " + got.shape()
                                + " but was declared as " + want.shape());
                    }
                }
                return out;
            })
            .build();

    /** The attributes of a {@code java_function} node. */
    public static Attrs attrs(long callback, List<DType> dtypes, List<Shape> shapes) {
        if (dtypes.size() != shapes.size()) {
            throw new IllegalArgumentException("one shape per output dtype: " + dtypes + " vs " + shapes);
        }
        StringBuilder tout = new StringBuilder();
        Attrs a = Attrs.of("callback", callback);
        for (int i = 0; i < dtypes.size(); i++) {
            if (i > 0) tout.append(',');
            tout.append(dtypes.get(i).shortName());
            a = a.with("shape" + i, shapes.get(i));
        }
        return a.with("Tout", tout.toString());
    }

    private static List<TensorType> declaredResults(Attrs a) {
        String tout = a.getString("Tout");
        List<TensorType> out = new ArrayList<>();
        if (tout.isEmpty()) return out;
        String[] names = tout.split(",");
        for (int i = 0; i < names.length; i++) {
            Shape s = a.has("shape" + i) ? a.getShape("shape" + i) : Shape.unknownRank();
            out.add(new TensorType(DType.fromShortName(names[i]), s));
        }
        return out;
    }

    /**
     * Refuses a graph that calls back into Java, for compilers whose output runs without a JVM
     * (the ahead-of-time compiler): such a graph cannot be an artifact.
     */
    public static void requireNoJavaCallbacks(Graph g, String forWhat) {
        if (containsJavaCallback(g.body())) {
            throw new UnimplementedError(g.name() + " calls back into Java (Tf.javaFunction), so it cannot be compiled for "
                    + forWhat + ": an artifact cannot call back into a JVM. Move the Java code out of the function, or run it with Function.call");
        }
    }

    private static boolean containsJavaCallback(Block b) {
        for (Node n : b.nodes()) {
            if (n.op() == JAVA_FUNCTION) return true;
            for (Block r : n.regions()) if (containsJavaCallback(r)) return true;
        }
        return false;
    }
}
