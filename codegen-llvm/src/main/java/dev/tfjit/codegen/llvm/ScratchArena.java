package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of a compiled function's per-call scratch block over its top-level steps (the
 * nodes of the function body, in emission order): a buffer is held from the step that takes it
 * up to and including the step it is held until, then its bytes serve later steps. Freed ranges
 * are merged with their neighbours and reused best-fit (the smallest free range that fits); only
 * what no free range holds grows the block. Offsets and sizes are 64-byte aligned.
 */
final class ScratchArena {
    /** Held until the end of the call: never reused. */
    static final int FOREVER = Integer.MAX_VALUE;

    /**
     * One buffer of the block: its bytes, the step that took it and the last step that holds it
     * (raised by {@link #extend} while it is held). Every buffer ever taken is kept, in order, for
     * the fusion report ({@link FusionReport}), so the report shows this layout, not a recomputed one.
     */
    static final class Span {
        final long offset, bytes;
        final int from;
        int until;

        Span(long offset, long bytes, int from, int until) {
            this.offset = offset;
            this.bytes = bytes;
            this.from = from;
            this.until = until;
        }
    }

    /** Free ranges by offset: {offset, bytes}, disjoint, none adjacent to another. */
    private final List<long[]> free = new ArrayList<>();
    /** Held buffers by offset. */
    private final Map<Long, Span> held = new HashMap<>();
    /** Every buffer taken, in the order taken. */
    private final List<Span> taken = new ArrayList<>();
    /** The step being emitted: the one after the last {@link #endStep}. */
    private int step;
    private long size;

    /** The block's size: what a call must provide. */
    long size() { return size; }

    /** Takes {@code bytes} held until step {@code until} (inclusive); returns the offset. */
    long take(long bytes, int until) {
        long need = align(Math.max(bytes, 1));
        int best = -1;
        for (int i = 0; i < free.size(); i++) {
            long[] r = free.get(i);
            if (r[1] >= need && (best < 0 || r[1] < free.get(best)[1])) best = i;
        }
        long offset;
        if (best >= 0) {
            long[] r = free.get(best);
            offset = r[0];
            if (r[1] == need) free.remove(best);
            else free.set(best, new long[] {r[0] + need, r[1] - need});
        } else if (!free.isEmpty() && free.getLast()[0] + free.getLast()[1] == size) {
            offset = free.removeLast()[0]; // the free tail grows into the new buffer
            size = offset + need;
        } else {
            offset = size;
            size += need;
        }
        hold(new Span(offset, need, step, until));
        return offset;
    }

    private void hold(Span s) {
        held.put(s.offset, s);
        taken.add(s);
    }

    /** Every buffer taken so far, in order (for the fusion report). */
    List<Span> taken() { return List.copyOf(taken); }

    /** The buffer at {@code offset} that is held at step {@code at}, or null. */
    Span spanAt(long offset, int at) {
        for (Span s : taken) if (s.offset == offset && s.from <= at && at <= s.until) return s;
        return null;
    }

    /**
     * Takes {@code bytes} for the whole call from the block's end, never from a range an earlier
     * step used: memory that is set up once when the call starts (growable arrays' descriptors,
     * zeroed before the first step) must not share bytes with any other value.
     */
    long takeForCall(long bytes) {
        long offset = size;
        long need = align(Math.max(bytes, 1));
        size += need;
        hold(new Span(offset, need, step, FOREVER));
        return offset;
    }

    /** The last step that holds the buffer at {@code offset}, or -1 when none is held there. */
    int until(long offset) {
        Span h = held.get(offset);
        return h == null ? -1 : h.until;
    }

    /** Holds the buffer at {@code offset} at least until step {@code until} (another value now lives there too). */
    void extend(long offset, int until) {
        Span h = held.get(offset);
        if (h != null) h.until = Math.max(h.until, until);
    }

    /** Gives back every buffer held until {@code step} or earlier: step {@code step} has been emitted. */
    void endStep(int step) {
        List<Long> done = new ArrayList<>();
        for (Map.Entry<Long, Span> e : held.entrySet()) if (e.getValue().until <= step) done.add(e.getKey());
        for (long offset : done) release(offset, held.remove(offset).bytes);
        this.step = step + 1;
    }

    private void release(long offset, long bytes) {
        int i = 0;
        while (i < free.size() && free.get(i)[0] < offset) i++;
        free.add(i, new long[] {offset, bytes});
        if (i + 1 < free.size() && offset + bytes == free.get(i + 1)[0]) { // merge with the next range
            free.get(i)[1] += free.remove(i + 1)[1];
        }
        if (i > 0 && free.get(i - 1)[0] + free.get(i - 1)[1] == offset) { // and with the previous one
            free.get(i - 1)[1] += free.remove(i)[1];
        }
    }

    private static long align(long bytes) { return (bytes + Buffer.ALIGNMENT - 1) / Buffer.ALIGNMENT * Buffer.ALIGNMENT; }
}
