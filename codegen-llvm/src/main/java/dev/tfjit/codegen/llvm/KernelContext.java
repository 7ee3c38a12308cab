package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Node;
import dev.tfjit.ir.kernels.ComputeType;

/**
 * What a lowering rule writes into: the function and module being emitted, the status word
 * that run-time errors set bits in, and the node being lowered (for error messages). Small
 * instruction helpers keep the rules readable.
 */
public final class KernelContext {
    public final IrModule module;
    public final IrFunction f;
    public final String status;
    public final ErrorSites errors;
    public Node node;

    public KernelContext(IrModule module, IrFunction f, String status, ErrorSites errors) {
        this.module = module;
        this.f = f;
        this.status = status;
        this.errors = errors;
    }

    /** The same module, status and error table, writing into another function. */
    KernelContext in(IrFunction other, String otherStatus) {
        KernelContext c = new KernelContext(module, other, otherStatus, errors);
        c.node = node;
        return c;
    }

    public Reg bin(String opcode, Reg a, Reg b) {
        return new Reg(f.let(opcode + " " + a.typed() + ", " + b.name()), a.type());
    }

    public Reg lit(ComputeType c, double v) { return new Reg(Scalars.literal(c, v), c); }

    /** An i1 comparison; {@code pred} is an fcmp or icmp predicate with its instruction, e.g. {@code "fcmp olt"}. */
    public String cmp(String pred, Reg a, Reg b) { return f.let(pred + " " + a.typed() + ", " + b.name()); }

    public Reg select(String cond, Reg a, Reg b) {
        return new Reg(f.let("select i1 " + cond + ", " + a.typed() + ", " + b.typed()), a.type());
    }

    public Reg call(String fn, ComputeType ret, Reg... args) {
        StringBuilder sb = new StringBuilder("call ").append(Scalars.llvmType(ret)).append(' ').append(fn).append('(');
        for (int i = 0; i < args.length; i++) sb.append(i == 0 ? "" : ", ").append(args[i].typed());
        return new Reg(f.let(sb.append(')').toString()), ret);
    }

    /** An LLVM intrinsic on a float type: {@code intrinsic("fabs", x)} calls {@code @llvm.fabs.f32}. */
    public Reg intrinsic(String name, Reg... args) {
        String suffix = switch (args[0].type()) {
            case F32 -> "f32";
            case F64 -> "f64";
            case I32 -> "i32";
            case I64 -> "i64";
            default -> throw new IllegalStateException(name + " on " + args[0].type());
        };
        return call("@llvm." + name + "." + suffix, args[0].type(), args);
    }

    public Reg fpext(Reg x) { return x.type() == ComputeType.F64 ? x : new Reg(f.let("fpext float " + x.name() + " to double"), ComputeType.F64); }

    public Reg fptrunc(Reg x) { return new Reg(f.let("fptrunc double " + x.name() + " to float"), ComputeType.F32); }

    /** Sets this node's error bit when {@code cond} (an i1) holds; the loop goes on, the caller throws. */
    public void raiseIf(String cond, String message) {
        String bit = errors.bit(f, errors.site(node, message));
        String bits = f.let("select i1 " + cond + ", i32 " + bit + ", i32 0");
        String old = f.let("load i32, ptr " + status);
        String now = f.let("or i32 " + old + ", " + bits);
        f.line("store i32 " + now + ", ptr " + status);
    }

    /** Sets this node's error bit unconditionally (an error that the concrete shapes already decide). */
    public void raise(String message) { raiseIf("true", message); }
}
