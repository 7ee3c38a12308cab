package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reference kernels of TF's {@code Where} (coordinates of the true elements) and
 * {@code SelectV2} (elementwise choice with NumPy broadcasting of all three operands).
 */
public final class Where {
    private Where() {}

    /** int64 {@code [n, rank]}: the row-major coordinates of the non-zero elements. */
    public static Buffer coordinates(Buffer condition) {
        Shape s = condition.shape();
        int rank = s.rank();
        long n = condition.size();
        boolean bool = condition.dtype() == DType.BOOL;
        MemorySegment c = bool ? condition.segment() : null;
        long count = 0;
        for (long i = 0; i < n; i++) if (bool ? c.get(ValueLayout.JAVA_BYTE, i) != 0 : condition.getDouble(i) != 0) count++;
        Buffer out = Buffer.allocate(DType.INT64, Shape.of(Math.toIntExact(count), rank));
        MemorySegment o = out.segment();
        int[] dims = s.dims();
        long[] coord = new long[rank];
        long row = 0;
        for (long i = 0; i < n; i++) {
            if (bool ? c.get(ValueLayout.JAVA_BYTE, i) != 0 : condition.getDouble(i) != 0) {
                for (int d = 0; d < rank; d++) o.setAtIndex(ValueLayout.JAVA_LONG, row * rank + d, coord[d]);
                row++;
            }
            for (int d = rank - 1; d >= 0; d--) { // odometer
                if (++coord[d] < dims[d]) break;
                coord[d] = 0;
            }
        }
        return out;
    }

    /** The broadcast shape of condition, then and else, with TF's error when they do not broadcast. */
    public static Shape selectShape(Shape c, Shape x, Shape y) {
        try {
            return Broadcast.shapes(Broadcast.shapes(c, x), y);
        } catch (ShapeError e) {
            throw new InvalidArgumentError("condition " + c.brief() + ", then " + x.brief() + ", and else " + y.brief()
                    + " must be broadcastable");
        }
    }

    public static Buffer select(Buffer condition, Buffer x, Buffer y) {
        Shape outShape = selectShape(condition.shape(), x.shape(), y.shape());
        Buffer out = Buffer.allocate(x.dtype(), outShape);
        if (out.size() == 0) return out;
        MemorySegment c = condition.segment();
        long[][] strides = {Broadcast.readStrides(condition.shape(), outShape), Broadcast.readStrides(x.shape(), outShape),
                Broadcast.readStrides(y.shape(), outShape)};
        Strided.forEachRow(outShape, strides, (o, offs, rs, len) -> {
            // Copy maximal runs where the condition does not change, so a broadcast condition moves whole rows.
            long start = 0;
            while (start < len) {
                boolean pick = c.get(ValueLayout.JAVA_BYTE, offs[0] + start * rs[0]) != 0;
                long end = start + 1;
                while (end < len && (c.get(ValueLayout.JAVA_BYTE, offs[0] + end * rs[0]) != 0) == pick) end++;
                int k = pick ? 1 : 2;
                StridedCopy.copyRun(pick ? x : y, offs[k] + start * rs[k], rs[k], out, o + start, 1, end - start);
                start = end;
            }
        });
        return out;
    }
}
