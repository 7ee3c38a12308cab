package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/** Buffers whose every element is one value: the kernel behind fill, zeros, ones and their *_like forms. */
public final class Fill {
    private Fill() {}

    /** A buffer of {@code shape} holding element 0 of {@code scalar} everywhere (same dtype, bits copied). */
    public static Buffer of(Buffer scalar, Shape shape) {
        Buffer out = Buffer.allocate(scalar.dtype(), shape);
        if (scalar.dtype() == DType.STRING) {
            Arrays.fill(out.strings(), scalar.getString(0));
            return out;
        }
        MemorySegment o = out.segment(), s = scalar.segment();
        long n = out.size();
        switch (scalar.dtype().byteSize()) {
            case 1 -> o.fill(s.get(ValueLayout.JAVA_BYTE, 0));
            case 2 -> {
                short v = s.get(ValueLayout.JAVA_SHORT, 0);
                for (long i = 0; i < n; i++) o.setAtIndex(ValueLayout.JAVA_SHORT, i, v);
            }
            case 4 -> {
                int v = s.get(ValueLayout.JAVA_INT, 0);
                for (long i = 0; i < n; i++) o.setAtIndex(ValueLayout.JAVA_INT, i, v);
            }
            case 8 -> {
                long v = s.get(ValueLayout.JAVA_LONG, 0);
                for (long i = 0; i < n; i++) o.setAtIndex(ValueLayout.JAVA_LONG, i, v);
            }
            default -> throw new IllegalStateException("no fill for " + scalar.dtype());
        }
        return out;
    }

    /** Zeros of any dtype; strings are empty, as TensorFlow's ZerosLike gives. Fresh buffers are already zero. */
    public static Buffer zeros(DType dtype, Shape shape) { return Buffer.allocate(dtype, shape); }

    /** Ones of a numeric or bool dtype. */
    public static Buffer ones(DType dtype, Shape shape) { return of(Buffer.scalar(dtype, 1), shape); }
}
