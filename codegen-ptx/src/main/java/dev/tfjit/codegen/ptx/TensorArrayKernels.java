package dev.tfjit.codegen.ptx;

import dev.tfjit.codegen.llvm.Reg;
import dev.tfjit.codegen.llvm.Scalars;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.ops.TensorArrayOps;
import dev.tfjit.runtime.cuda.GpuProgram;

import java.util.List;
import java.util.function.Function;

/**
 * {@code tensor_array_write} and {@code tensor_array_read} of arrays whose size the concrete
 * shapes fix, on the stacked flow {@code [size, element...]} as
 * {@link dev.tfjit.ir.kernels.TensorArrays} defines them (and the CPU backend's
 * TensorArrayEmitter lowers them): a write is one grid-stride kernel that builds the new flow,
 * each output element taken from the value (in the written row), the old flow, or zero (rows a
 * dynamically sized write with a compile-time index grew); a read copies one row out. Elements
 * move as raw bits, never flushed. The index is read on the device; out of range, thread 0 sets
 * the node's error bit with the index recorded for the interpreter's message
 * ({@link KernelBuilder#raiseDetailed}) and no row moves. Arrays that grow at run time never get
 * here: {@link GpuLowerability#checkStaticShapes} refuses them.
 */
final class TensorArrayKernels {
    private TensorArrayKernels() {}

    static boolean lowers(OpDef op) { return op == TensorArrayOps.TENSOR_ARRAY_WRITE || op == TensorArrayOps.TENSOR_ARRAY_READ; }

    static void emit(GpuGraphEmitter e, Node n) {
        if (n.op() == TensorArrayOps.TENSOR_ARRAY_WRITE) write(e, n);
        else read(e, n);
    }

    private static void write(GpuGraphEmitter e, Node n) {
        Value stacked = n.inputs().get(0), index = n.inputs().get(1), value = n.inputs().get(2), out = n.output();
        int size = e.types.shape(stacked).dim(0), grown = e.types.shape(out).dim(0);
        long width = e.types.shape(value).numElements();
        KernelBuilder k = new KernelBuilder(e.module, "ta_write", ElementwiseKernel.BLOCK);
        k.cx.node = n;
        String old = k.param(e.ref(stacked), false), val = k.param(e.ref(value), false), dst = k.param(e.ref(out), true);
        String i = index(e, k, index);
        String inRange = checkBounds(e, k, i, grown, v -> "Writing to negative indices (index " + v + ") is not allowed.",
                v -> "Tried to write to index " + v + " but array is not resizeable and size is: " + size);
        String bits = "i" + out.dtype().byteSize() * 8;
        long total = grown * width, kept = size * width;
        IndexType it = IndexType.forElements(total);
        if (total > 0) k.gridStride(it, total, j -> {
            String at = it.toI64(k.f, j);
            String row = k.f.let("udiv i64 " + at + ", " + width);
            String written = k.f.let("and i1 " + inRange + ", " + k.f.let("icmp eq i64 " + row + ", " + i));
            String fromValue = k.f.newLabel("ta.value"), other = k.f.newLabel("ta.other"), fromOld = k.f.newLabel("ta.old"),
                    zero = k.f.newLabel("ta.zero"), done = k.f.newLabel("ta.done");
            k.f.line("br i1 " + written + ", label %" + fromValue + ", label %" + other);
            k.f.block(fromValue);
            store(k, bits, dst, at, load(k, bits, val, k.f.let("urem i64 " + at + ", " + width)));
            k.f.line("br label %" + done);
            k.f.block(other);
            k.f.line("br i1 " + k.f.let("icmp ult i64 " + at + ", " + kept) + ", label %" + fromOld + ", label %" + zero);
            k.f.block(fromOld);
            store(k, bits, dst, at, load(k, bits, old, at));
            k.f.line("br label %" + done);
            k.f.block(zero);
            store(k, bits, dst, at, "0");
            k.f.line("br label %" + done);
            k.f.block(done);
        });
        e.launch(k, ElementwiseKernel.ceilDiv(total, ElementwiseKernel.BLOCK), 1, 1, true);
    }

    private static void read(GpuGraphEmitter e, Node n) {
        Value stacked = n.inputs().get(0), index = n.inputs().get(1), out = n.output();
        int size = e.types.shape(stacked).dim(0);
        long width = e.types.shape(out).numElements();
        KernelBuilder k = new KernelBuilder(e.module, "ta_read", ElementwiseKernel.BLOCK);
        k.cx.node = n;
        String src = k.param(e.ref(stacked), false), dst = k.param(e.ref(out), true);
        String i = index(e, k, index);
        Function<String, String> message = v -> "Tried to read from index " + v + " but array size is: " + size;
        String inRange = checkBounds(e, k, i, size, message, message);
        String bits = "i" + out.dtype().byteSize() * 8;
        IndexType it = IndexType.forElements(width);
        String base = k.f.let("mul nsw i64 " + i + ", " + width);
        if (width > 0) k.ifThen(inRange, () -> k.gridStride(it, width, j -> {
            String at = it.toI64(k.f, j);
            store(k, bits, dst, at, load(k, bits, src, k.f.let("add nsw i64 " + base + ", " + at)));
        }));
        e.launch(k, ElementwiseKernel.ceilDiv(width, ElementwiseKernel.BLOCK), 1, 1, true);
    }

    /** The index, read on the device, as an i64 operand (int32 indices sign-extended). */
    private static String index(GpuGraphEmitter e, KernelBuilder k, Value index) {
        Reg r = Scalars.load(k.f, index.dtype(), k.param(e.ref(index), false), "0", false);
        return r.type() == ComputeType.I64 ? r.name() : k.f.let("sext i32 " + r.name() + " to i64");
    }

    /**
     * Raises the negative or too-large error in the interpreter's order and wording, from thread 0
     * of the grid only (every thread reads the same index); returns the i1 "in range".
     */
    private static String checkBounds(GpuGraphEmitter e, KernelBuilder k, String i, int size, Function<String, String> negative,
                                      Function<String, String> tooLarge) {
        String neg = k.f.let("icmp slt i64 " + i + ", 0");
        String big = k.f.let("icmp sge i64 " + i + ", " + size);
        String first = k.f.let("icmp eq " + IndexType.I64.llvm + " " + k.globalThread(IndexType.I64) + ", 0");
        k.raiseDetailed(k.f.let("and i1 " + first + ", " + neg), List.of(i), e.scratch(Long.BYTES), v -> negative.apply(v.get(0)));
        k.raiseDetailed(k.f.let("and i1 " + first + ", " + big), List.of(i), e.scratch(Long.BYTES), v -> tooLarge.apply(v.get(0)));
        return k.f.let("xor i1 " + k.f.let("or i1 " + neg + ", " + big) + ", true");
    }

    private static String load(KernelBuilder k, String bits, String base, String at) {
        String p = k.f.let("getelementptr inbounds " + bits + ", ptr " + base + ", i64 " + at);
        return k.f.let("load " + bits + ", ptr " + p);
    }

    private static void store(KernelBuilder k, String bits, String base, String at, String v) {
        String p = k.f.let("getelementptr inbounds " + bits + ", ptr " + base + ", i64 " + at);
        k.f.line("store " + bits + " " + v + ", ptr " + p);
    }
}
