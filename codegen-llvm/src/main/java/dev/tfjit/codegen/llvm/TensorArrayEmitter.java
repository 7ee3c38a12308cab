package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.ops.TensorArrayOps;

/**
 * {@code tensor_array_write} and {@code tensor_array_read} on the stacked flow
 * {@code [size, element...]} as {@link dev.tfjit.ir.kernels.TensorArrays} does it: a write is a
 * copy of the flow with one element's bytes replaced at a run-time index, a read copies one
 * element's bytes out. Elements are moved raw, never flushed. An index out of range sets the
 * node's error bit, with the run-time index as a value of the interpreter's message
 * ({@link DetailedError}), and skips the move. A dynamically sized write lands here only when
 * its index is known at compile time (so is its grown size); otherwise its array is growable and
 * {@link GrowableArrays} lowers it.
 */
final class TensorArrayEmitter {
    private TensorArrayEmitter() {}

    static boolean lowers(OpDef op) { return op == TensorArrayOps.TENSOR_ARRAY_WRITE || op == TensorArrayOps.TENSOR_ARRAY_READ; }

    static void emit(FunctionEmitter e, Node n) {
        if (n.op() == TensorArrayOps.TENSOR_ARRAY_WRITE) write(e, n);
        else read(e, n);
    }

    private static void write(FunctionEmitter e, Node n) {
        Value stacked = n.inputs().get(0), index = n.inputs().get(1), value = n.inputs().get(2), out = n.output();
        int size = e.types.shape(stacked).dim(0), grown = e.types.shape(out).dim(0);
        e.copyInto(out, stacked);
        long elementBytes = e.bytes(value);
        if (grown > size && elementBytes > 0) { // the elements between the old end and the index read as zeros
            e.module.helper("memset", Sgemm.MEMSET);
            String tail = e.f.let("getelementptr inbounds i8, ptr " + e.pointer(out) + ", i64 " + size * elementBytes);
            e.f.line("call void @llvm.memset.p0.i64(ptr " + tail + ", i8 0, i64 " + (grown - size) * elementBytes + ", i1 false)");
        }
        String i = index(e, index);
        String inRange = checkBounds(e, i, grown, v -> "Writing to negative indices (index " + v + ") is not allowed.",
                v -> "Tried to write to index " + v + " but array is not resizeable and size is: " + size);
        if (elementBytes == 0) return;
        guarded(e.f, inRange, () -> {
            String dst = e.f.let("getelementptr inbounds i8, ptr " + e.pointer(out) + ", i64 " + e.f.let("mul nsw i64 " + i + ", " + elementBytes));
            if (e.isImmediate(value)) {
                Reg v = e.element(e.cx, value, new FunctionEmitter.LeafAccess(java.util.Map.of(), java.util.Map.of()), new java.util.IdentityHashMap<>(), false);
                Scalars.store(e.f, value.dtype(), v, dst, "0");
            } else {
                e.f.line("call void @llvm.memmove.p0.p0.i64(ptr " + dst + ", ptr " + e.pointer(value) + ", i64 " + elementBytes + ", i1 false)");
            }
        });
    }

    private static void read(FunctionEmitter e, Node n) {
        Value stacked = n.inputs().get(0), index = n.inputs().get(1), out = n.output();
        int size = e.types.shape(stacked).dim(0);
        String i = index(e, index);
        java.util.function.Function<String, String> message = v -> "Tried to read from index " + v + " but array size is: " + size;
        String inRange = checkBounds(e, i, size, message, message);
        long elementBytes = e.bytes(out);
        if (elementBytes == 0) return;
        guarded(e.f, inRange, () -> {
            if (e.isImmediate(stacked)) { // a one-element constant array: the read is its only element
                Reg v = e.element(e.cx, stacked, new FunctionEmitter.LeafAccess(java.util.Map.of(), java.util.Map.of()), new java.util.IdentityHashMap<>(), false);
                Scalars.store(e.f, out.dtype(), v, e.pointer(out), "0");
                return;
            }
            String src = e.f.let("getelementptr inbounds i8, ptr " + e.pointer(stacked) + ", i64 " + e.f.let("mul nsw i64 " + i + ", " + elementBytes));
            e.f.line("call void @llvm.memmove.p0.p0.i64(ptr " + e.pointer(out) + ", ptr " + src + ", i64 " + elementBytes + ", i1 false)");
        });
    }

    /** The index as an i64 operand (int32 indices are sign-extended). */
    static String index(FunctionEmitter e, Value index) {
        Reg r = e.isImmediate(index)
                ? e.element(e.cx, index, new FunctionEmitter.LeafAccess(java.util.Map.of(), java.util.Map.of()), new java.util.IdentityHashMap<>(), false)
                : Scalars.load(e.f, index.dtype(), e.pointer(index), "0", false);
        return r.type() == ComputeType.I64 ? r.name() : e.f.let("sext i32 " + r.name() + " to i64");
    }

    /** Raises the negative or too-large error as the interpreter checks them, naming the index; returns the i1 "in range". */
    private static String checkBounds(FunctionEmitter e, String i, int size, java.util.function.Function<String, String> negative,
                                      java.util.function.Function<String, String> tooLarge) {
        String neg = e.f.let("icmp slt i64 " + i + ", 0");
        String big = e.f.let("icmp sge i64 " + i + ", " + size);
        DetailedError.raiseIf(e, neg, java.util.List.of(i), v -> negative.apply(v.get(0)));
        DetailedError.raiseIf(e, big, java.util.List.of(i), v -> tooLarge.apply(v.get(0)));
        return e.f.let("xor i1 " + e.f.let("or i1 " + neg + ", " + big) + ", true");
    }

    private static void guarded(IrFunction f, String cond, Runnable body) {
        String then = f.newLabel("ta.move"), end = f.newLabel("ta.end");
        f.line("br i1 " + cond + ", label %" + then + ", label %" + end);
        f.block(then);
        body.run();
        f.line("br label %" + end);
        f.block(end);
    }
}
