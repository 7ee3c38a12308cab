package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.Axes;
import dev.tfjit.ir.kernels.TensorArrays;
import dev.tfjit.ir.ops.ArrayOps;
import dev.tfjit.ir.ops.TensorArrayOps;

import java.util.List;
import java.util.function.Function;

/**
 * The one exception to static shapes in {@link ConcreteTypes}: the stacked value of a
 * dynamically sized TensorArray, {@code [?, element...]}, whose element count is known only at
 * run time (each {@code tensor_array_write {dynamic_size}} at a run-time index may grow it). Its
 * element shape must be static. Such a value is "growable"; native code keeps it in memory that
 * grows ({@link GrowableArrays}), so only the ops that lowering knows may read it: writes,
 * reads, {@code gather} along axis 0, {@code shape} and {@code size}; {@code while} and
 * {@code cond} carry it and a function may return it. Any other op given one is refused at
 * compile time, naming the op.
 */
final class GrowableTypes {
    private GrowableTypes() {}

    /** The largest element count of a TensorArray, the interpreter's: a {@link Shape} dim is an int. */
    static final long MAX_COUNT = TensorArrays.MAX_SIZE;

    /** Whether {@code t} is a growable stacked value: an unknown leading dim and a static element shape. */
    static boolean isGrowable(TensorType t) {
        Shape s = t.shape();
        if (!s.hasRank() || s.rank() == 0 || s.dim(0) != Shape.UNKNOWN) return false;
        for (int d = 1; d < s.rank(); d++) if (s.dim(d) == Shape.UNKNOWN) return false;
        return true;
    }

    /** Whether {@link #infer} decides the types of {@code n}: it reads a growable value, or it is a write that may grow. */
    static boolean decides(Node n, List<TensorType> in) {
        if (isDynamicWrite(n)) return true;
        for (TensorType t : in) if (isGrowable(t)) return true;
        return false;
    }

    static boolean isDynamicWrite(Node n) {
        return n.op() == TensorArrayOps.TENSOR_ARRAY_WRITE && n.attrs().getBool("dynamic_size", false);
    }

    /**
     * The output types of {@code n} (one {@link #decides} is true for); {@code statics} gives
     * the values known at compile time. A dynamically sized write into a static array at an
     * index known at compile time has a static result; otherwise a write's result is growable.
     */
    static List<TensorType> infer(Node n, List<TensorType> in, Function<Value, Buffer> statics) {
        OpDef op = n.op();
        for (int k = 0; k < in.size(); k++) {
            if (isGrowable(in.get(k)) && (k > 0 || !readsGrowable(n, in))) throw refused(n, k, in.get(k));
        }
        List<TensorType> out = op.inferTypes(in, n.attrs()); // the op's own checks (dtypes, element shape) always apply
        if (op != TensorArrayOps.TENSOR_ARRAY_WRITE) return out;
        TensorType stacked = in.get(0);
        Shape element = TensorArrays.elementShape(stacked.shape());
        if (!element.isFullyKnown()) {
            throw new UnimplementedError("the TensorArray's element shape " + element.irString() + " is not known at compile time;"
                    + " the llvm-cpu backend needs static element shapes").in(op.name(), n.location());
        }
        if (isGrowable(stacked) || !isDynamicWrite(n)) return List.of(new TensorType(stacked.dtype(), stacked.shape()));
        Buffer index = statics.apply(n.inputs().get(1));
        int size = stacked.shape().dim(0);
        if (index != null && index.getLong(0) >= 0 && index.getLong(0) < MAX_COUNT) {
            return List.of(new TensorType(stacked.dtype(), stacked.shape().withDim(0, (int) Math.max(size, index.getLong(0) + 1))));
        }
        return List.of(new TensorType(stacked.dtype(), stacked.shape().withDim(0, Shape.UNKNOWN)));
    }

    /** Whether {@code n} is one of the ops lowering lets read a growable first operand. */
    private static boolean readsGrowable(Node n, List<TensorType> in) {
        OpDef op = n.op();
        if (op == TensorArrayOps.TENSOR_ARRAY_WRITE || op == TensorArrayOps.TENSOR_ARRAY_READ || op == ArrayOps.SHAPE
                || op == ArrayOps.SIZE) {
            return true;
        }
        // Along axis 0 the output has the indices' shape and static element dims; along another axis it would have the count.
        return op == ArrayOps.GATHER && n.attrs().getLong("batch_dims", 0) == 0 && in.get(1).shape().isFullyKnown()
                && Axes.normalize(n.attrs().getLong("axis", 0), in.get(0).shape().rank()) == 0;
    }

    private static dev.tfjit.ir.TfException refused(Node n, int operand, TensorType t) {
        return new UnimplementedError("operand " + operand + " (" + t + ") is the stacked value of a dynamically sized TensorArray, whose"
                + " element count is known only at run time; the llvm-cpu backend reads such a value only with tensor_array_read,"
                + " tensor_array_write, gather along axis 0, shape and size, carries it through while and cond and returns it,"
                + " but compiles every other op for static shapes (give the TensorArray a fixed size, or read its elements)")
                .in(n.op().name(), n.location());
    }

    /**
     * The loop var type of a while whose var enters as {@code in} and comes back as {@code next}
     * (a different type): growable when both are stacked values of one element type and the var
     * is a TensorArray (either is growable, or the body's dynamically sized write made it);
     * otherwise null (the loop cannot be compiled).
     */
    static TensorType widen(TensorType in, TensorType next, Node producer) {
        boolean array = isGrowable(in) || isGrowable(next) || (producer != null && isDynamicWrite(producer));
        return array ? joined(in, next) : null;
    }

    /** The type of a cond output whose branches yield {@code a} and {@code b} (different), or null. */
    static TensorType join(TensorType a, TensorType b, Node producerA, Node producerB) {
        boolean array = isGrowable(a) || isGrowable(b) || (producerA != null && isDynamicWrite(producerA))
                || (producerB != null && isDynamicWrite(producerB));
        return array ? joined(a, b) : null;
    }

    /** {@code [?, element...]} when both have that element type, else null. */
    private static TensorType joined(TensorType a, TensorType b) {
        Shape x = a.shape(), y = b.shape();
        if (a.dtype() != b.dtype() || !x.hasRank() || !y.hasRank() || x.rank() != y.rank() || x.rank() == 0) return null;
        for (int d = 1; d < x.rank(); d++) if (x.dim(d) != y.dim(d) || x.dim(d) == Shape.UNKNOWN) return null;
        return new TensorType(a.dtype(), x.withDim(0, Shape.UNKNOWN));
    }

    /** The node of {@code b} (at any depth) that defines {@code v}, or null for parameters. */
    static Node producer(Block b, Value v) {
        for (Node n : b.nodes()) {
            if (n.outputs().contains(v)) return n;
            for (Block r : n.regions()) {
                Node p = producer(r, v);
                if (p != null) return p;
            }
        }
        return null;
    }

    /** Refuses a growable result in an ahead-of-time artifact, whose header gives every result buffer a fixed size. */
    static void requireStaticResults(Graph g, List<TensorType> results) {
        for (int j = 0; j < results.size(); j++) {
            if (results.get(j).shape().isFullyKnown()) continue;
            Node p = producer(g.body(), g.results().get(j));
            UnimplementedError e = new UnimplementedError("result " + j + " of @" + g.name() + " is the stacked value of a dynamically sized"
                    + " TensorArray (" + results.get(j) + "), whose size is known only at run time; an artifact's results have static"
                    + " sizes (its header declares each buffer), so return the TensorArray's elements or give it a fixed size");
            throw p == null ? e : e.in(p.op().name(), p.location());
        }
    }
}
