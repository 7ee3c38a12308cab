package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.UnimplementedError;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.function.BiPredicate;

import static dev.tfjit.ir.kernels.Fn.ftz;

/**
 * Typing and reference loops for elementwise ops. An op supplies one scalar function per
 * compute type it supports ({@code null} where it does not); this class does dtype checking,
 * broadcasting, widening of narrow dtypes, flush-to-zero of floats, and the loops. The hottest
 * arithmetic also names a {@link DenseArith} whose hand-written loops the JIT vectorizes.
 */
public final class Elementwise {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfByte B = ValueLayout.JAVA_BYTE;

    private Elementwise() {}

    /** A binary op's scalar functions by compute type, and optionally its vectorizable dense loops. */
    public record Binary(Fn.F32F32 f32, Fn.F64F64 f64, Fn.I32I32 i32, Fn.I64I64 i64, Fn.BoolBool bool, DenseArith dense) {
        public Binary(Fn.F32F32 f32, Fn.F64F64 f64, Fn.I32I32 i32, Fn.I64I64 i64, Fn.BoolBool bool) {
            this(f32, f64, i32, i64, bool, null);
        }

        boolean supports(ComputeType c) { return has(c, f32, f64, i32, i64, bool, null); }
    }

    /** A unary op's scalar functions by compute type, and optionally its vectorizable dense loops. */
    public record Unary(Fn.F32 f32, Fn.F64 f64, Fn.I32 i32, Fn.I64 i64, Fn.Bool bool, DenseUnary dense) {
        public Unary(Fn.F32 f32, Fn.F64 f64, Fn.I32 i32, Fn.I64 i64, Fn.Bool bool) {
            this(f32, f64, i32, i64, bool, null);
        }

        boolean supports(ComputeType c) { return has(c, f32, f64, i32, i64, bool, null); }
    }

    /** A unary predicate on floats ({@code is_nan}): the output is bool. */
    public record Classify(Fn.F32Is f32, Fn.F64Is f64) {}

    /** A comparison's predicates, by compute type; strings compare with {@link String#equals}-style tests. */
    public record Compare(Fn.F32Test f32, Fn.F64Test f64, Fn.I32Test i32, Fn.I64Test i64, Fn.BoolTest bool,
                          BiPredicate<String, String> string) {
        boolean supports(ComputeType c) { return has(c, f32, f64, i32, i64, bool, string); }
    }

    /** Whether an op's function for compute type {@code c} is there (null where the op has no kernel for it). */
    private static boolean has(ComputeType c, Object f32, Object f64, Object i32, Object i64, Object bool, Object string) {
        return switch (c) {
            case F32 -> f32 != null;
            case F64 -> f64 != null;
            case I32 -> i32 != null;
            case I64 -> i64 != null;
            case BOOL -> bool != null;
            case STRING -> string != null;
        };
    }

    // ------------------------------------------------------------------ typing

    /** Both operands must have the same dtype; TensorFlow never casts implicitly. */
    public static DType sameDType(String tfOp, List<TensorType> in) {
        DType t = in.get(0).dtype();
        for (int i = 1; i < in.size(); i++) {
            DType u = in.get(i).dtype();
            if (u != t) {
                throw new DTypeError("cannot compute " + tfOp + " as input #" + i + "(zero-based) was expected to be a "
                        + AllowedTypes.tfInternalName(t) + " tensor but is a " + AllowedTypes.tfInternalName(u)
                        + " tensor (" + t + " vs. " + u + ")");
            }
        }
        return t;
    }

    /** Two shapes that must be equal (no broadcasting), unknown dims filled in from the other side. */
    public static Shape mergeShapes(String tfOp, Shape a, Shape b) {
        if (!a.hasRank()) return b;
        if (!b.hasRank()) return a;
        if (a.rank() != b.rank()) throw new ShapeError(tfOp + " needs inputs of one shape, got " + a.brief() + " and " + b.brief());
        int[] dims = new int[a.rank()];
        for (int i = 0; i < dims.length; i++) {
            int x = a.dim(i), y = b.dim(i);
            if (x != Shape.UNKNOWN && y != Shape.UNKNOWN && x != y) {
                throw new ShapeError(tfOp + " needs inputs of one shape, got " + a.brief() + " and " + b.brief());
            }
            dims[i] = x == Shape.UNKNOWN ? y : x;
        }
        return Shape.of(dims);
    }

    /** TensorFlow's two checks: the dtype is in the op's list, and a CPU kernel exists for it. */
    public static void checkSupported(AllowedTypes allowed, DType t, boolean hasKernel) {
        allowed.check(t);
        if (!hasKernel) {
            throw new UnimplementedError("No registered '" + allowed.tfOp() + "' OpKernel for 'CPU' devices compatible with node "
                    + "{{node " + allowed.tfOp() + "}} (T=" + AllowedTypes.tfInternalName(t) + ")");
        }
    }

    public static TensorType binaryType(AllowedTypes allowed, Binary fns, List<TensorType> in) {
        DType t = sameDType(allowed.tfOp(), in);
        checkSupported(allowed, t, fns.supports(ComputeType.of(t)));
        return new TensorType(t, Broadcast.shapes(in.get(0).shape(), in.get(1).shape()));
    }

    public static TensorType compareType(AllowedTypes allowed, Compare fns, List<TensorType> in) {
        DType t = sameDType(allowed.tfOp(), in);
        checkSupported(allowed, t, fns.supports(ComputeType.of(t)));
        return new TensorType(DType.BOOL, Broadcast.shapes(in.get(0).shape(), in.get(1).shape()));
    }

    public static TensorType unaryType(AllowedTypes allowed, Unary fns, List<TensorType> in) {
        DType t = in.get(0).dtype();
        checkSupported(allowed, t, fns.supports(ComputeType.of(t)));
        return in.get(0);
    }

    public static TensorType classifyType(AllowedTypes allowed, List<TensorType> in) {
        allowed.check(in.get(0).dtype());
        return new TensorType(DType.BOOL, in.get(0).shape());
    }

    // ------------------------------------------------------------------ kernels

    public static Buffer binary(Binary fns, Buffer a, Buffer b) {
        DType t = a.dtype();
        ComputeType c = ComputeType.of(t);
        Buffer wa = Casts.widen(a, c), wb = Casts.widen(b, c);
        Shape out = Broadcast.shapes(a.shape(), b.shape());
        Buffer r = Buffer.allocateUninitialized(c.dtype(), out);
        MemorySegment ra = wa.segment(), rb = wb.segment(), ro = r.segment();
        long n = r.size();
        if (a.shape().equals(b.shape())) {
            row(c, fns, ro, 0, ra, 0, 1, rb, 0, 1, n);
        } else if (b.size() == 1) {
            row(c, fns, ro, 0, ra, 0, 1, rb, 0, 0, n);
        } else if (a.size() == 1) {
            row(c, fns, ro, 0, ra, 0, 0, rb, 0, 1, n);
        } else {
            long[][] strides = {Broadcast.readStrides(a.shape(), out), Broadcast.readStrides(b.shape(), out)};
            Strided.forEachRow(out, strides, (o, offs, rs, len) ->
                    row(c, fns, ro, o, ra, offs[0], rs[0], rb, offs[1], rs[1], len));
        }
        return Casts.narrow(r, t);
    }

    /** One row: the op's dense loops when both operands are contiguous or scalar along it, else the scalar function. */
    private static void row(ComputeType c, Binary fns, MemorySegment o, long oo,
                            MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, long n) {
        boolean dense = fns.dense() != null && (as == 0 || as == 1) && (bs == 0 || bs == 1);
        if (dense && fns.dense().run(c, o, oo, a, ao, as == 0, b, bo, bs == 0, n)) return;
        binaryRow(c, fns, o, oo, a, ao, as, b, bo, bs, n);
    }

    private static void binaryRow(ComputeType c, Binary fns, MemorySegment o, long oo,
                                  MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, long n) {
        switch (c) {
            case F32 -> {
                Fn.F32F32 f = fns.f32();
                for (long i = 0; i < n; i++) {
                    o.setAtIndex(F, oo + i, ftz(f.apply(ftz(a.getAtIndex(F, ao + i * as)), ftz(b.getAtIndex(F, bo + i * bs)))));
                }
            }
            case F64 -> {
                Fn.F64F64 f = fns.f64();
                for (long i = 0; i < n; i++) {
                    o.setAtIndex(D, oo + i, ftz(f.apply(ftz(a.getAtIndex(D, ao + i * as)), ftz(b.getAtIndex(D, bo + i * bs)))));
                }
            }
            case I32 -> {
                Fn.I32I32 f = fns.i32();
                for (long i = 0; i < n; i++) o.setAtIndex(I, oo + i, f.apply(a.getAtIndex(I, ao + i * as), b.getAtIndex(I, bo + i * bs)));
            }
            case I64 -> {
                Fn.I64I64 f = fns.i64();
                for (long i = 0; i < n; i++) o.setAtIndex(L, oo + i, f.apply(a.getAtIndex(L, ao + i * as), b.getAtIndex(L, bo + i * bs)));
            }
            case BOOL -> {
                Fn.BoolBool f = fns.bool();
                for (long i = 0; i < n; i++) {
                    o.set(B, oo + i, f.apply(a.get(B, ao + i * as) != 0, b.get(B, bo + i * bs) != 0) ? (byte) 1 : 0);
                }
            }
            case STRING -> throw new DTypeError("string tensors do not support arithmetic");
        }
    }

    public static Buffer compare(Compare fns, Buffer a, Buffer b) {
        ComputeType c = ComputeType.of(a.dtype());
        Shape out = Broadcast.shapes(a.shape(), b.shape());
        Buffer r = Buffer.allocateUninitialized(DType.BOOL, out);
        long[][] strides = {Broadcast.readStrides(a.shape(), out), Broadcast.readStrides(b.shape(), out)};
        MemorySegment ro = r.segment();
        if (c == ComputeType.STRING) {
            String[] sa = a.strings(), sb = b.strings();
            Strided.forEachRow(out, strides, (o, offs, rs, len) -> {
                for (long i = 0; i < len; i++) {
                    boolean v = fns.string().test(sa[(int) (offs[0] + i * rs[0])], sb[(int) (offs[1] + i * rs[1])]);
                    ro.set(B, o + i, v ? (byte) 1 : 0);
                }
            });
            return r;
        }
        Buffer wa = Casts.widen(a, c), wb = Casts.widen(b, c);
        MemorySegment ra = wa.segment(), rb = wb.segment();
        Strided.forEachRow(out, strides, (o, offs, rs, len) ->
                compareRow(c, fns, ro, o, ra, offs[0], rs[0], rb, offs[1], rs[1], len));
        return r;
    }

    private static void compareRow(ComputeType c, Compare fns, MemorySegment o, long oo,
                                   MemorySegment a, long ao, long as, MemorySegment b, long bo, long bs, long n) {
        switch (c) {
            case F32 -> {
                Fn.F32Test f = fns.f32();
                for (long i = 0; i < n; i++) {
                    o.set(B, oo + i, f.test(ftz(a.getAtIndex(F, ao + i * as)), ftz(b.getAtIndex(F, bo + i * bs))) ? (byte) 1 : 0);
                }
            }
            case F64 -> {
                Fn.F64Test f = fns.f64();
                for (long i = 0; i < n; i++) {
                    o.set(B, oo + i, f.test(ftz(a.getAtIndex(D, ao + i * as)), ftz(b.getAtIndex(D, bo + i * bs))) ? (byte) 1 : 0);
                }
            }
            case I32 -> {
                Fn.I32Test f = fns.i32();
                for (long i = 0; i < n; i++) o.set(B, oo + i, f.test(a.getAtIndex(I, ao + i * as), b.getAtIndex(I, bo + i * bs)) ? (byte) 1 : 0);
            }
            case I64 -> {
                Fn.I64Test f = fns.i64();
                for (long i = 0; i < n; i++) o.set(B, oo + i, f.test(a.getAtIndex(L, ao + i * as), b.getAtIndex(L, bo + i * bs)) ? (byte) 1 : 0);
            }
            case BOOL -> {
                Fn.BoolTest f = fns.bool();
                for (long i = 0; i < n; i++) o.set(B, oo + i, f.test(a.get(B, ao + i * as) != 0, b.get(B, bo + i * bs) != 0) ? (byte) 1 : 0);
            }
            case STRING -> throw new IllegalStateException("strings are compared on the heap");
        }
    }

    public static Buffer unary(Unary fns, Buffer a) {
        DType t = a.dtype();
        ComputeType c = ComputeType.of(t);
        Buffer wa = Casts.widen(a, c);
        Buffer r = Buffer.allocateUninitialized(c.dtype(), a.shape());
        MemorySegment s = wa.segment(), o = r.segment();
        long n = r.size();
        if (fns.dense() != null && fns.dense().run(c, o, s, n)) return Casts.narrow(r, t);
        switch (c) {
            case F32 -> {
                Fn.F32 f = fns.f32();
                for (long i = 0; i < n; i++) o.setAtIndex(F, i, ftz(f.apply(ftz(s.getAtIndex(F, i)))));
            }
            case F64 -> {
                Fn.F64 f = fns.f64();
                for (long i = 0; i < n; i++) o.setAtIndex(D, i, ftz(f.apply(ftz(s.getAtIndex(D, i)))));
            }
            case I32 -> {
                Fn.I32 f = fns.i32();
                for (long i = 0; i < n; i++) o.setAtIndex(I, i, f.apply(s.getAtIndex(I, i)));
            }
            case I64 -> {
                Fn.I64 f = fns.i64();
                for (long i = 0; i < n; i++) o.setAtIndex(L, i, f.apply(s.getAtIndex(L, i)));
            }
            case BOOL -> {
                Fn.Bool f = fns.bool();
                for (long i = 0; i < n; i++) o.set(B, i, f.apply(s.get(B, i) != 0) ? (byte) 1 : 0);
            }
            case STRING -> throw new DTypeError("string tensors do not support arithmetic");
        }
        return Casts.narrow(r, t);
    }

    public static Buffer classify(Classify fns, Buffer a) {
        ComputeType c = ComputeType.of(a.dtype());
        Buffer wa = Casts.widen(a, c);
        Buffer r = Buffer.allocateUninitialized(DType.BOOL, a.shape());
        MemorySegment s = wa.segment(), o = r.segment();
        long n = r.size();
        switch (c) {
            case F32 -> {
                Fn.F32Is f = fns.f32();
                for (long i = 0; i < n; i++) o.set(B, i, f.test(s.getAtIndex(F, i)) ? (byte) 1 : 0);
            }
            case F64 -> {
                Fn.F64Is f = fns.f64();
                for (long i = 0; i < n; i++) o.set(B, i, f.test(s.getAtIndex(D, i)) ? (byte) 1 : 0);
            }
            default -> throw new DTypeError("only floating-point tensors can be classified, not " + a.dtype());
        }
        return r;
    }
}
