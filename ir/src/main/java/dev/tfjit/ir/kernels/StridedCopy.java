package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The one data-movement primitive of the array ops: copying a strided view of a buffer (an
 * offset plus one element stride per dim, possibly zero or negative) to or from contiguous
 * row-major memory. Transpose, slices, reverse, tile, broadcast, concat, split and pad are all
 * views; {@link Strided} merges dims so inner runs are as long as possible, and runs with unit
 * stride move with one {@link MemorySegment#copy}.
 */
public final class StridedCopy {
    private static final ValueLayout.OfByte B = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort S = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG_UNALIGNED;

    private StridedCopy() {}

    /** A new contiguous buffer of {@code shape} holding {@code src[offset + sum(i_k * strides[k])]}. */
    public static Buffer read(Buffer src, long offset, long[] strides, Shape shape) {
        Buffer out = Buffer.allocate(src.dtype(), shape);
        if (out.size() == 0) return out;
        Strided.forEachRow(shape, new long[][] {strides}, (outOff, offs, rowStrides, len) ->
                copyRun(src, offset + offs[0], rowStrides[0], out, outOff, 1, len));
        return out;
    }

    /** Writes contiguous {@code src} into the view {@code (offset, strides)} of {@code dst}, which the caller allocated. */
    public static void write(Buffer src, Buffer dst, long offset, long[] strides) {
        if (src.size() == 0) return;
        Strided.forEachRow(src.shape(), new long[][] {strides}, (srcOff, offs, rowStrides, len) ->
                copyRun(src, srcOff, 1, dst, offset + offs[0], rowStrides[0], len));
    }

    /** Copies {@code n} elements between buffers of the same dtype, with element strides. */
    public static void copyRun(Buffer src, long srcOff, long srcStride, Buffer dst, long dstOff, long dstStride, long n) {
        if (src.dtype() == DType.STRING) {
            String[] s = src.strings(), d = dst.strings();
            if (srcStride == 1 && dstStride == 1) {
                System.arraycopy(s, Math.toIntExact(srcOff), d, Math.toIntExact(dstOff), Math.toIntExact(n));
            } else {
                for (long k = 0; k < n; k++) d[(int) (dstOff + k * dstStride)] = s[(int) (srcOff + k * srcStride)];
            }
            return;
        }
        MemorySegment s = src.segment(), d = dst.segment();
        int size = src.dtype().byteSize();
        if (srcStride == 1 && dstStride == 1) {
            MemorySegment.copy(s, srcOff * size, d, dstOff * size, n * size);
            return;
        }
        // Element moves keep the bits (NaN payloads, -0.0): every dtype is copied as an integer of its width.
        switch (size) {
            case 1 -> { for (long k = 0; k < n; k++) d.set(B, dstOff + k * dstStride, s.get(B, srcOff + k * srcStride)); }
            case 2 -> { for (long k = 0; k < n; k++) d.setAtIndex(S, dstOff + k * dstStride, s.getAtIndex(S, srcOff + k * srcStride)); }
            case 4 -> { for (long k = 0; k < n; k++) d.setAtIndex(I, dstOff + k * dstStride, s.getAtIndex(I, srcOff + k * srcStride)); }
            case 8 -> { for (long k = 0; k < n; k++) d.setAtIndex(L, dstOff + k * dstStride, s.getAtIndex(L, srcOff + k * srcStride)); }
            default -> throw new IllegalStateException("no element size " + size);
        }
    }

    /** Fills {@code dst} with the single element of {@code scalar} (same dtype), by doubling copies. */
    public static void fill(Buffer dst, Buffer scalar) {
        long n = dst.size();
        if (n == 0) return;
        if (dst.dtype() == DType.STRING) {
            java.util.Arrays.fill(dst.strings(), scalar.getString(0));
            return;
        }
        copyRun(scalar, 0, 1, dst, 0, 1, 1);
        for (long filled = 1; filled < n; filled *= 2) copyRun(dst, 0, 1, dst, filled, 1, Math.min(filled, n - filled));
    }
}
