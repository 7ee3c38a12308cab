package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.ops.ArrayOps;
import dev.tfjit.ir.ops.CreationOps;

import java.lang.foreign.ValueLayout;
import java.util.Set;

/**
 * Ops that make a tensor of a static shape: {@code shape}, {@code size} and {@code rank} (known
 * from the concrete types, stored as constants), {@code fill} (the scalar repeated),
 * {@code eye}, and {@code range} and {@code linspace} with the interpreter's arithmetic
 * ({@code Sequences}): range accumulates {@code v += delta} in the dtype (halves in float),
 * linspace computes {@code start + delta * i} and copies both end points. A range's length
 * depends on its operands' values, so it lowers only where they are known at compile time
 * ({@link ConcreteTypes}); elsewhere its shape is dynamic and compilation says so.
 */
final class CreationEmitter {
    private CreationEmitter() {}

    private static final Set<OpDef> OPS = Set.of(ArrayOps.SHAPE, ArrayOps.SIZE, ArrayOps.RANK, CreationOps.FILL, CreationOps.EYE,
            CreationOps.RANGE, CreationOps.LINSPACE);

    static boolean lowers(OpDef op) { return OPS.contains(op); }

    static void emit(FunctionEmitter e, Node n) {
        OpDef op = n.op();
        Value out = n.output();
        Shape os = e.types.shape(out);
        if (op == ArrayOps.SHAPE || op == ArrayOps.SIZE || op == ArrayOps.RANK) {
            store(e, out, ConcreteTypes.shapeQuery(op, e.types.shape(n.inputs().get(0)), out.dtype()));
            return;
        }
        if (os.numElements() == 0) return;
        if (op == CreationOps.FILL) ViewCopy.fill(e, out.dtype(), ViewCopy.Source.of(e, n.inputs().get(0)), e.pointer(out), os.dims());
        else if (op == CreationOps.EYE) eye(e, out, os);
        else if (op == CreationOps.RANGE) range(e, n, os.dim(0));
        else linspace(e, n, os.dim(0));
    }

    /** A value's elements from a compile-time buffer. */
    private static void store(FunctionEmitter e, Value out, Buffer value) {
        if (value.size() == 0) return;
        byte[] bytes = value.segment().toArray(ValueLayout.JAVA_BYTE);
        e.module.helper("memcpy", ViewCopy.MEMCPY);
        e.f.line("call void @llvm.memcpy.p0.p0.i64(ptr " + e.pointer(out) + ", ptr " + e.module.constantBytes(bytes) + ", i64 "
                + bytes.length + ", i1 false)");
    }

    private static void eye(FunctionEmitter e, Value out, Shape s) {
        IrFunction f = e.f;
        Buffer one = Buffer.allocate(out.dtype(), Shape.SCALAR);
        one.setLong(0, 1);
        String ty = ViewCopy.bitsType(out.dtype()), bits = ViewCopy.bits(one), dst = e.pointer(out);
        int r = s.rank();
        long rows = s.dim(r - 2), cols = s.dim(r - 1);
        ViewCopy.nest(f, new long[] {s.numElements() / (rows * cols), rows, cols}, 3, 0, new String[3], ivs -> {
            String diagonal = f.let("icmp eq i64 " + ivs[1] + ", " + ivs[2]);
            String v = f.let("select i1 " + diagonal + ", " + ty + " " + bits + ", " + ty + " 0");
            String at = f.let("add nsw i64 " + f.let("mul nsw i64 " + f.let("add nsw i64 " + f.let("mul nsw i64 " + ivs[0] + ", " + rows)
                    + ", " + ivs[1]) + ", " + cols) + ", " + ivs[2]);
            f.line("store " + ty + " " + v + ", ptr " + ViewCopy.at(f, ty, dst, at));
        });
    }

    /** {@code out[i] = v; v += delta}, v starting at start, in the dtype (halves accumulate in float). */
    private static void range(FunctionEmitter e, Node n, int count) {
        IrFunction f = e.f;
        Value out = n.output();
        DType t = out.dtype();
        ComputeType c = t == DType.FLOAT64 ? ComputeType.F64 : t.isFloating() ? ComputeType.F32 : ComputeType.of(t);
        Reg start = scalar(e, n.inputs().get(0), c), delta = scalar(e, n.inputs().get(2), c);
        String ty = Scalars.llvmType(c);
        String acc = f.alloca(ty);
        f.line("store " + start.typed() + ", ptr " + acc);
        String dst = e.pointer(out);
        f.forLoop(Integer.toString(count), i -> {
            Reg v = new Reg(f.let("load " + ty + ", ptr " + acc), c);
            Scalars.store(f, t, t.isFloating() && t != DType.FLOAT32 && t != DType.FLOAT64 ? Scalars.round(f, t, v, false) : v, dst, i);
            f.line("store " + e.cx.bin(c == ComputeType.F32 || c == ComputeType.F64 ? "fadd" : "add", v, delta).typed() + ", ptr " + acc);
        });
    }

    /** TF's linspace_nd: float64 in double, everything else in float; interior points flushed, end points exact. */
    private static void linspace(FunctionEmitter e, Node n, int num) {
        IrFunction f = e.f;
        KernelContext cx = e.cx;
        Value out = n.output();
        DType t = out.dtype();
        ComputeType c = t == DType.FLOAT64 ? ComputeType.F64 : ComputeType.F32;
        Reg s = scalar(e, n.inputs().get(0), c), end = scalar(e, n.inputs().get(1), c);
        Reg delta = Scalars.ftz(f, cx.bin("fdiv", cx.bin("fsub", end, s), cx.lit(c, Math.max(num - 1, 1))));
        String dst = e.pointer(out);
        Scalars.store(f, t, narrow(f, t, s), dst, "0");
        if (num > 2) {
            f.forRange("1", Integer.toString(num - 1), i -> {
                Reg index = new Reg(f.let((c == ComputeType.F32 ? "sitofp i64 " + i + " to float" : "sitofp i64 " + i + " to double")), c);
                Reg v = Scalars.ftz(f, cx.bin("fadd", s, Scalars.ftz(f, cx.bin("fmul", delta, index))));
                Scalars.store(f, t, narrow(f, t, v), dst, i);
            });
        }
        if (num > 1) Scalars.store(f, t, narrow(f, t, end), dst, Integer.toString(num - 1));
    }

    /** {@code Buffer.setDouble} of a float on a half type: rounded from float, unflushed. */
    private static Reg narrow(IrFunction f, DType t, Reg v) {
        return t == DType.FLOAT16 || t == DType.BFLOAT16 ? Scalars.round(f, t, v, false) : v;
    }

    /** A scalar operand read as the interpreter's {@code getDouble}/{@code getLong} would, in compute type {@code c}. */
    private static Reg scalar(FunctionEmitter e, Value v, ComputeType c) {
        Reg r = e.isImmediate(v) ? Scalars.constant(e.immediate(v), 0, false) : Scalars.load(e.f, v.dtype(), e.pointer(v), "0", false);
        if (r.type() == c) return r;
        if (r.type() == ComputeType.F64 && c == ComputeType.F32) return e.cx.fptrunc(r);
        if (r.type() == ComputeType.F32 && c == ComputeType.F64) return e.cx.fpext(r);
        throw new IllegalStateException("no conversion from " + r.type() + " to " + c);
    }
}
