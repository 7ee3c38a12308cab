package dev.tfjit.codegen.ptx;

import dev.tfjit.codegen.llvm.DataMovement;
import dev.tfjit.codegen.llvm.FunctionEmitter;
import dev.tfjit.codegen.llvm.LoopNest;
import dev.tfjit.codegen.llvm.Reg;
import dev.tfjit.codegen.llvm.Scalars;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fused elementwise group as one grid-stride kernel: each thread computes elements
 * {@code g, g + T, ...} (T threads in the grid), its fused producers in registers, every
 * operand read at its own (broadcast) offset. When every operand is read contiguously or is a
 * single element, a thread takes four neighbouring elements per step, so that loads and stores
 * of 16-byte aligned groups become vector instructions ({@code ld.global.nc.v4.f32}); the last
 * {@code n mod 4} elements are done by the first threads.
 */
final class ElementwiseKernel {
    static final int BLOCK = 256;
    private static final int VECTOR = 4;

    private ElementwiseKernel() {}

    static void emit(GpuGraphEmitter e, Node n) {
        Value out = n.output();
        Shape shape = e.types.shape(out);
        long count = shape.numElements();
        if (count == 0) return;
        List<Value> leaves = e.leaves(n.inputs(), Map.of());
        List<long[]> strides = new ArrayList<>();
        strides.add(shape.strides());
        strides.addAll(e.readStrides(leaves, shape));
        LoopNest nest = LoopNest.of(shape.dims(), strides);
        KernelBuilder k = new KernelBuilder(e.module, "loop_" + n.op().name(), BLOCK);
        Map<Value, String> pointers = e.pointers(k, leaves);
        String outPtr = k.param(e.ref(out), true);
        IndexType it = IndexType.forElements(count);
        Body body = offsets -> { // offsets: output first, then each leaf, as i64
            Map<Value, String> offs = new IdentityHashMap<>();
            for (int i = 0; i < leaves.size(); i++) offs.put(leaves.get(i), offsets.get(i + 1));
            Map<Value, Reg> memo = new IdentityHashMap<>();
            Reg r;
            if (FunctionEmitter.isForwarding(n)) { // the interpreter returns the input untouched: no flush
                r = e.element(k.cx, n.inputs().get(0), pointers, offs, memo, false);
            } else {
                List<Reg> in = new ArrayList<>();
                for (Value x : n.inputs()) in.add(e.element(k.cx, x, pointers, offs, memo, true));
                r = FunctionEmitter.apply(k.cx, n, in);
            }
            Scalars.store(k.f, out.dtype(), r, outPtr, offsets.get(0));
        };
        long work = loop(k, nest, count, it, body);
        e.launch(k, ceilDiv(work, BLOCK), 1, 1, true);
    }

    /** Transpose and broadcast_to: a strided copy of raw elements (never flushed, as the interpreter moves them). */
    static void emitStrided(GpuGraphEmitter e, Node n) {
        Value in = n.inputs().get(0), out = n.output();
        Shape outShape = e.types.shape(out);
        long count = outShape.numElements();
        if (count == 0) return;
        long[] read = DataMovement.readStrides(n, e.types.shape(in), outShape);
        boolean literal = e.isImmediate(in);
        LoopNest nest = LoopNest.of(outShape.dims(), literal ? List.of(outShape.strides()) : List.of(outShape.strides(), read));
        KernelBuilder k = new KernelBuilder(e.module, n.op().name(), BLOCK);
        String inPtr = literal ? null : k.param(e.ref(in), false);
        String outPtr = k.param(e.ref(out), true);
        IndexType it = IndexType.forElements(count);
        long work = loop(k, nest, count, it, offsets -> {
            Reg x = literal ? e.element(k.cx, in, Map.of(), Map.of(), new IdentityHashMap<>(), false)
                    : Scalars.load(k.f, in.dtype(), inPtr, offsets.get(1), false);
            Scalars.store(k.f, out.dtype(), x, outPtr, offsets.get(0));
        });
        e.launch(k, ceilDiv(work, BLOCK), 1, 1, true);
    }

    /** The loop body, given each operand's element offset (i64). */
    @FunctionalInterface
    interface Body {
        void at(List<String> offsets);
    }

    /** Emits the grid-stride loop over {@code nest}; returns the number of work items (threads worth launching). */
    static long loop(KernelBuilder k, LoopNest nest, long count, IndexType it, Body body) {
        int operands = nest.strides().size();
        if (IndexMath.isFlat(nest) && count >= VECTOR) {
            long groups = count / VECTOR, tail = count % VECTOR;
            k.gridStride(it, groups, g -> {
                String base = k.f.let("mul nuw nsw i64 " + it.toI64(k.f, g) + ", " + VECTOR);
                for (int lane = 0; lane < VECTOR; lane++) {
                    String at = lane == 0 ? base : k.f.let("add nuw nsw i64 " + base + ", " + lane);
                    body.at(flatOffsets(nest, operands, at));
                }
            });
            if (tail > 0) {
                String g = k.globalThread(it);
                k.ifThen(k.f.let("icmp ult " + it.llvm + " " + g + ", " + tail), () -> {
                    String at = k.f.let("add nuw nsw i64 " + it.toI64(k.f, g) + ", " + groups * VECTOR);
                    body.at(flatOffsets(nest, operands, at));
                });
            }
            return groups;
        }
        k.gridStride(it, count, i -> {
            List<String> offs = new ArrayList<>();
            for (String o : IndexMath.offsets(k.f, it, nest, i)) offs.add(it.toI64(k.f, o));
            body.at(offs);
        });
        return count;
    }

    /** In a flat nest an operand's offset is the position itself (stride 1) or 0 (a broadcast element). */
    private static List<String> flatOffsets(LoopNest nest, int operands, String at) {
        List<String> offs = new ArrayList<>(operands);
        for (int o = 0; o < operands; o++) {
            boolean moves = nest.dims().length == 1 && nest.strides().get(o)[0] == 1;
            offs.add(moves ? at : "0");
        }
        return offs;
    }

    static long ceilDiv(long a, long b) { return (a + b - 1) / b; }
}
