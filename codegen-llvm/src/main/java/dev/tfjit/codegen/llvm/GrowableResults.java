package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * The Java side of results whose size native code decides: the stacked value of a dynamically
 * sized TensorArray ({@link GrowableArrays#handOver}). Such a result's slot points at a
 * {@code {ptr data, i64 count}} pair instead of a buffer; the entry function stores there the
 * C-allocated memory of the array and its element count, and gives up the memory. Here the
 * elements are copied into an aligned {@link Buffer} of shape {@code [count, element...]} and the
 * memory is freed, on success and failure alike, so nothing the call allocated outlives it.
 */
final class GrowableResults {
    private static final long PAIR_BYTES = 16;
    private static final MethodHandle FREE = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("free").orElseThrow(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

    private GrowableResults() {}

    static boolean any(List<TensorType> results) {
        for (TensorType t : results) if (isGrowable(t)) return true;
        return false;
    }

    static boolean isGrowable(TensorType t) { return !t.shape().isFullyKnown(); }

    /** One {@code {ptr, count}} pair per result (used for the growable ones only), for a call frame. */
    static MemorySegment pairs(Arena arena, int results) { return arena.allocate(PAIR_BYTES * Math.max(1, results), 8); }

    /** Result {@code j}'s pair, cleared, for its slot in the result array. */
    static MemorySegment slot(MemorySegment pairs, int j) {
        MemorySegment pair = pairs.asSlice(j * PAIR_BYTES, PAIR_BYTES);
        pair.fill((byte) 0);
        return pair;
    }

    /**
     * Sets each growable result of {@code results} (of {@code types}) to what the call left in
     * its pair, or leaves it null when the call failed ({@code ok} false); frees every pair's memory.
     */
    static void takeAll(MemorySegment pairs, List<TensorType> types, List<Buffer> results, boolean ok) {
        RuntimeException failure = null;
        for (int j = 0; j < types.size(); j++) {
            if (!isGrowable(types.get(j))) continue;
            try {
                results.set(j, take(pairs.asSlice(j * PAIR_BYTES, PAIR_BYTES), types.get(j), ok));
            } catch (RuntimeException e) { // the other pairs are still freed
                if (failure == null) failure = e;
            }
        }
        if (failure != null) throw failure;
    }

    private static Buffer take(MemorySegment pair, TensorType type, boolean ok) {
        MemorySegment data = pair.get(ValueLayout.ADDRESS, 0);
        long count = pair.get(ValueLayout.JAVA_LONG, 8);
        pair.fill((byte) 0);
        try {
            if (!ok) return null;
            if (count < 0 || count > GrowableTypes.MAX_COUNT) throw new IllegalStateException("a native TensorArray has count " + count);
            Buffer out = Buffer.allocateUninitialized(type.dtype(), type.shape().withDim(0, (int) count));
            long bytes = out.size() * type.dtype().byteSize();
            if (bytes > 0) {
                if (data.equals(MemorySegment.NULL)) {
                    throw new TfException("out of memory returning a TensorArray of " + count + " elements (" + bytes + " bytes)");
                }
                MemorySegment.copy(data.reinterpret(bytes), 0, out.segment(), 0, bytes);
            }
            return out;
        } finally {
            free(data);
        }
    }

    private static void free(MemorySegment p) {
        if (p.equals(MemorySegment.NULL)) return;
        try {
            FREE.invokeExact(p);
        } catch (Throwable t) {
            throw new IllegalStateException("free failed", t);
        }
    }
}
