package dev.tfjit.codegen.ptx;

import dev.tfjit.codegen.llvm.IrFunction;
import dev.tfjit.codegen.llvm.KernelContext;
import dev.tfjit.codegen.llvm.Reg;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.runtime.ErrorDetails;
import dev.tfjit.runtime.cuda.GpuProgram;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One kernel being written: its pointer parameters (each a place in device memory, asked for
 * as the body needs it), thread and block indices, loops that map work to threads, shared
 * memory, warp shuffles and barriers.
 *
 * <p>Run-time errors (integer division by zero...) set bits in a per-thread status word, as in
 * the CPU backend; the kernel ORs it atomically into the program's status word once, at its
 * end, so the host finds every error bit after the run.
 */
final class KernelBuilder {
    /** Lanes per warp on every NVIDIA GPU. */
    static final int WARP = 32;
    private static final String PARAMS = "@@PARAMS@@";

    final String name;
    final IrFunction f;
    final KernelContext cx;
    final int block;
    private final KernelModule module;
    private final List<GpuProgram.Ref> params = new ArrayList<>();
    private final List<Boolean> writes = new ArrayList<>();
    private final Map<GpuProgram.Ref, Integer> index = new HashMap<>();
    private final String status;
    private int sharedCounter;

    /** A kernel that runs in blocks of {@code block} threads. */
    KernelBuilder(KernelModule module, String what, int block) {
        this.module = module;
        this.name = module.kernelName(what);
        this.block = block;
        this.f = new IrFunction("define ptx_kernel void @" + name + "(" + PARAMS + ")");
        this.cx = new KernelContext(module.ir, f, f.alloca("i32"), module.errors);
        f.line("store i32 0, ptr " + cx.status);
        this.status = param(GpuProgram.STATUS, true);
    }

    /** The parameter holding {@code ref}'s address ({@code written} if the kernel stores through it). */
    String param(GpuProgram.Ref ref, boolean written) {
        Integer i = index.get(ref);
        if (i == null) {
            i = params.size();
            params.add(ref);
            writes.add(written);
            index.put(ref, i);
        } else if (written) {
            writes.set(i, true);
        }
        return "%p" + i;
    }

    List<GpuProgram.Ref> params() { return List.copyOf(params); }

    // ------------------------------------------------------------ thread indices

    private String sreg(String which) { return f.let("call i32 @llvm.nvvm.read.ptx.sreg." + which + "()"); }

    String threadIndex() { return sreg("tid.x"); }

    String blockIndex() { return sreg("ctaid.x"); }

    String blockIndexY() { return sreg("ctaid.y"); }

    String blockIndexZ() { return sreg("ctaid.z"); }

    String gridBlocks() { return sreg("nctaid.x"); }

    /** This thread's index in the whole x grid, in {@code it}. */
    String globalThread(IndexType it) {
        String b = it.fromI32(f, blockIndex()), t = it.fromI32(f, threadIndex());
        return f.let("add nuw nsw " + it.llvm + " " + f.let("mul nuw nsw " + it.llvm + " " + b + ", " + block) + ", " + t);
    }

    /** Threads in the whole x grid, in {@code it}. */
    String gridThreads(IndexType it) {
        return f.let("mul nuw nsw " + it.llvm + " " + it.fromI32(f, gridBlocks()) + ", " + block);
    }

    // ------------------------------------------------------------ loops

    /** {@code for (i = from; i < to; i += step) body(i)} in {@code it}; {@code step} is a value or literal. */
    void stride(IndexType it, String from, String to, String step, Consumer<String> body) {
        String ty = it.llvm;
        String slot = f.alloca(ty);
        String head = f.newLabel("loop"), inner = f.newLabel("body"), exit = f.newLabel("done");
        f.line("store " + ty + " " + from + ", ptr " + slot);
        f.line("br label %" + head);
        f.block(head);
        String i = f.let("load " + ty + ", ptr " + slot);
        String more = f.let("icmp slt " + ty + " " + i + ", " + to);
        f.line("br i1 " + more + ", label %" + inner + ", label %" + exit);
        f.block(inner);
        body.accept(i);
        String next = f.let("add nuw nsw " + ty + " " + i + ", " + step);
        f.line("store " + ty + " " + next + ", ptr " + slot);
        f.line("br label %" + head);
        f.block(exit);
    }

    /** Every thread of the grid takes items {@code g, g + threads, ...} of {@code count} (a grid-stride loop). */
    void gridStride(IndexType it, long count, Consumer<String> body) {
        stride(it, globalThread(it), Long.toString(count), gridThreads(it), body);
    }

    /** Every block takes items {@code b, b + blocks, ...} of {@code count} (all its threads together). */
    void blockStride(IndexType it, long count, Consumer<String> body) {
        stride(it, it.fromI32(f, blockIndex()), Long.toString(count), it.fromI32(f, gridBlocks()), body);
    }

    /** {@code if (cond) then()} with the condition an i1. */
    void ifThen(String cond, Runnable then) { f.ifThen(cond, then); }

    // ------------------------------------------------------------ shared memory, barriers, shuffles

    /** A fresh shared-memory array of {@code count} elements of LLVM type {@code type}; returns its symbol. */
    String shared(String type, int count) {
        String sym = "@" + name + "_smem" + sharedCounter++;
        module.ir.helper(sym, sym + " = internal addrspace(3) global [" + count + " x " + type + "] undef, align 16");
        return sym;
    }

    /** The address of element {@code i} (an i32 or i64 value of type {@code it}) of a shared array. */
    String sharedElement(String sym, String type, int count, IndexType it, String i) {
        return f.let("getelementptr inbounds [" + count + " x " + type + "], ptr addrspace(3) " + sym + ", i64 0, " + it.llvm + " " + i);
    }

    /** Waits for every thread of the block ({@code bar.sync 0}); all threads must reach it. */
    void barrier() { f.line("call void @llvm.nvvm.barrier0()"); }

    /**
     * {@code v} of the lane whose index differs from this lane's in bits {@code mask} (a
     * butterfly shuffle); the whole warp must execute it. 64-bit values travel as two halves,
     * bools as i32.
     */
    Reg shuffleXor(Reg v, int mask) {
        String call = ", i32 " + mask + ", i32 31)";
        return switch (v.type()) {
            case F32 -> new Reg(f.let("call float @llvm.nvvm.shfl.sync.bfly.f32(i32 -1, float " + v.name() + call), v.type());
            case I32 -> new Reg(f.let("call i32 @llvm.nvvm.shfl.sync.bfly.i32(i32 -1, i32 " + v.name() + call), v.type());
            case BOOL -> {
                String w = f.let("zext i1 " + v.name() + " to i32");
                String s = f.let("call i32 @llvm.nvvm.shfl.sync.bfly.i32(i32 -1, i32 " + w + call);
                yield new Reg(f.let("trunc i32 " + s + " to i1"), v.type());
            }
            case F64, I64 -> {
                String bits = v.type() == ComputeType.F64 ? f.let("bitcast double " + v.name() + " to i64") : v.name();
                String lo = f.let("trunc i64 " + bits + " to i32");
                String hi = f.let("trunc i64 " + f.let("lshr i64 " + bits + ", 32") + " to i32");
                String slo = f.let("call i32 @llvm.nvvm.shfl.sync.bfly.i32(i32 -1, i32 " + lo + call);
                String shi = f.let("call i32 @llvm.nvvm.shfl.sync.bfly.i32(i32 -1, i32 " + hi + call);
                String wide = f.let("or i64 " + f.let("zext i32 " + slo + " to i64") + ", "
                        + f.let("shl i64 " + f.let("zext i32 " + shi + " to i64") + ", 32"));
                yield new Reg(v.type() == ComputeType.F64 ? f.let("bitcast i64 " + wide + " to double") : wide, v.type());
            }
            case STRING -> throw new IllegalStateException("strings have no register form");
        };
    }

    // ------------------------------------------------------------ errors naming run-time values

    /**
     * Sets the current node's error bit when the i1 {@code cond} holds, as the CPU backend's
     * DetailedError does: the i64 operands {@code values} go to the int64 slots at
     * {@code slots} (a scratch place of one slot per value), whose placeholders
     * ({@link ErrorDetails}) {@code message} puts in the site's message; the host formats it
     * after the run. The values are recorded only while the program's status word lacks the bit
     * (set by an earlier launch, in a loop), so the first failure in program order is reported.
     * The caller makes sure one thread (or threads with equal values) gets here.
     */
    void raiseDetailed(String cond, List<String> values, GpuProgram.Ref slots, Function<List<String>, String> message) {
        List<String> placeholders = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) placeholders.add(ErrorDetails.slot(slots.offset() + (long) i * Long.BYTES));
        int id = cx.errors.site(cx.node, message.apply(placeholders));
        String slotPtr = param(slots, true);
        f.ifThen(cond, () -> {
            String bit = cx.errors.bit(f, id);
            String published = f.let("load volatile i32, ptr " + status);
            String fresh = f.let("icmp eq i32 " + f.let("and i32 " + published + ", " + bit) + ", 0");
            f.ifThen(fresh, () -> {
                for (int i = 0; i < values.size(); i++) {
                    String p = f.let("getelementptr inbounds i64, ptr " + slotPtr + ", i64 " + i);
                    f.line("store i64 " + values.get(i) + ", ptr " + p);
                }
            });
            f.line("store i32 " + f.let("or i32 " + f.let("load i32, ptr " + cx.status) + ", " + bit) + ", ptr " + cx.status);
        });
    }

    // ------------------------------------------------------------ finishing

    /** Ends the kernel (publishing its error bits) and adds it to the module. */
    void finish() {
        String s = f.let("load i32, ptr " + cx.status);
        String failed = f.let("icmp ne i32 " + s + ", 0");
        f.ifThen(failed, () -> f.line("atomicrmw or ptr " + status + ", i32 " + s + " monotonic"));
        f.line("ret void");
        StringBuilder decl = new StringBuilder();
        for (int i = 0; i < params.size(); i++) {
            decl.append(i == 0 ? "" : ", ");
            // Every place is its own allocation or a disjoint slice of scratch, so parameters never alias
            // (two that share a place are both read-only); read-only ones load through the non-coherent cache.
            boolean isStatus = params.get(i).equals(GpuProgram.STATUS);
            decl.append(isStatus ? "ptr" : writes.get(i) ? "ptr noalias align 16" : "ptr noalias readonly align 16").append(" %p").append(i);
        }
        module.addKernel(name, f.text().replace(PARAMS, decl), block);
    }
}
