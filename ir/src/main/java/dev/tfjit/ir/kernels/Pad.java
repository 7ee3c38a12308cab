package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;

/**
 * Reference kernels of {@code pad} (TF's Pad/PadV2) and {@code mirror_pad} (TF's MirrorPad).
 * Constant padding fills the output and writes the input into its interior view. Mirror
 * padding goes one dim at a time: the borders of that dim are reversed slices of the result
 * so far, which are strided views again.
 */
public final class Pad {
    /** How the border is made: TF's {@code mode} strings. */
    public enum Mode {
        CONSTANT, REFLECT, SYMMETRIC;

        public static Mode of(String s) {
            for (Mode m : values()) if (m.name().equalsIgnoreCase(s)) return m;
            throw new InvalidArgumentError("Unknown padding mode: " + s + " (expected CONSTANT, REFLECT or SYMMETRIC)");
        }
    }

    private Pad() {}

    /** The padded shape; {@code paddings} is flat {@code [before0, after0, before1, ...]}; validates as TF does. */
    public static Shape shape(Shape in, long[] paddings, Mode mode) {
        if (!in.hasRank()) return Shape.unknownRank();
        int r = in.rank();
        if (paddings.length != 2 * r) {
            throw new InvalidArgumentError("The first dimension of paddings must be the rank of inputs[" + paddings.length / 2
                    + ",2] " + in.brief());
        }
        int[] out = new int[r];
        for (int d = 0; d < r; d++) {
            long before = paddings[2 * d], after = paddings[2 * d + 1];
            if (before < 0 || after < 0) throw new InvalidArgumentError("Paddings must be non-negative: " + before + " " + after);
            int size = in.dim(d);
            if (size != Shape.UNKNOWN) {
                if (mode == Mode.REFLECT && (before >= size || after >= size)) {
                    throw new InvalidArgumentError("paddings must be less than the dimension size: " + before + ", " + after
                            + " not less than " + size);
                }
                if (mode == Mode.SYMMETRIC && (before > size || after > size)) {
                    throw new InvalidArgumentError("paddings must be no greater than the dimension size: " + before + ", "
                            + after + " greater than " + size);
                }
            }
            out[d] = size == Shape.UNKNOWN ? Shape.UNKNOWN : Math.toIntExact(size + before + after);
        }
        return Shape.of(out);
    }

    public static Buffer constant(Buffer in, long[] paddings, Buffer value) {
        Shape outShape = shape(in.shape(), paddings, Mode.CONSTANT);
        Buffer out = Buffer.allocate(in.dtype(), outShape);
        StridedCopy.fill(out, value);
        long[] strides = outShape.strides();
        long offset = 0;
        for (int d = 0; d < strides.length; d++) offset += paddings[2 * d] * strides[d];
        StridedCopy.write(in, out, offset, strides);
        return out;
    }

    public static Buffer mirror(Buffer in, long[] paddings, Mode mode) {
        shape(in.shape(), paddings, mode);
        // REFLECT leaves out the edge element (a b c -> c b | a b c), SYMMETRIC repeats it (b a | a b c).
        int skip = mode == Mode.REFLECT ? 1 : 0;
        Buffer cur = in;
        for (int d = 0; d < in.shape().rank(); d++) {
            int before = (int) paddings[2 * d], after = (int) paddings[2 * d + 1];
            if (before == 0 && after == 0) continue;
            Shape cs = cur.shape();
            int n = cs.dim(d);
            Shape os = cs.withDim(d, n + before + after);
            Buffer out = Buffer.allocate(in.dtype(), os);
            long[] outStrides = os.strides(), curStrides = cs.strides();
            StridedCopy.write(cur, out, before * outStrides[d], outStrides);
            // Left border: out[before-1-i] = cur[skip+i], so out[j] for j in [0,before) reads cur[skip+before-1-j].
            if (before > 0) {
                long[] rs = curStrides.clone();
                rs[d] = -curStrides[d];
                Buffer left = StridedCopy.read(cur, (skip + before - 1) * curStrides[d], rs, cs.withDim(d, before));
                StridedCopy.write(left, out, 0, outStrides);
            }
            // Right border: out[before+n+i] = cur[n-1-skip-i].
            if (after > 0) {
                long[] rs = curStrides.clone();
                rs[d] = -curStrides[d];
                Buffer right = StridedCopy.read(cur, (n - 1 - skip) * curStrides[d], rs, cs.withDim(d, after));
                StridedCopy.write(right, out, (long) (before + n) * outStrides[d], outStrides);
            }
            cur = out;
        }
        return cur == in ? in.copy() : cur;
    }
}
