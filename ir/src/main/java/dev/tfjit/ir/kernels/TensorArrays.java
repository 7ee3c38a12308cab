package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;

/**
 * Kernels of a TensorArray kept as one stacked buffer {@code [size, element...]}: a write
 * returns a new stacked buffer (growing it when the array is dynamically sized), a read copies
 * one element out. Errors use the wording of TF's eager TensorArray.
 */
public final class TensorArrays {
    private TensorArrays() {}

    /** The most elements an array holds: its size is a dim, an int. */
    public static final int MAX_SIZE = Integer.MAX_VALUE;

    public static Buffer write(Buffer stacked, Buffer index, Buffer value, boolean dynamicSize) {
        long i = index.getLong(0);
        Shape s = stacked.shape();
        int size = s.dim(0);
        if (i < 0) throw new InvalidArgumentError("Writing to negative indices (index " + i + ") is not allowed.");
        if (i >= size && !dynamicSize) {
            throw new InvalidArgumentError("Tried to write to index " + i + " but array is not resizeable and size is: " + size);
        }
        if (i >= MAX_SIZE) { // the grown array's leading dim must be an int, as every dim is
            throw new InvalidArgumentError("Tried to write to index " + i + " but a TensorArray holds at most " + MAX_SIZE + " elements");
        }
        Shape element = elementShape(s);
        if (!element.equals(value.shape())) {
            throw new InvalidArgumentError("Incompatible shape for value (" + value.shape() + "), expected (" + element + ")");
        }
        long w = element.numElements();
        int newSize = (int) Math.max(size, i + 1);
        Buffer out = Buffer.allocate(stacked.dtype(), s.withDim(0, newSize));
        if (stacked.size() > 0) StridedCopy.copyRun(stacked, 0, 1, out, 0, 1, stacked.size());
        if (newSize > size && out.dtype() == dev.tfjit.ir.DType.STRING) {
            java.util.Arrays.fill(out.strings(), (int) stacked.size(), (int) out.size(), "");
        }
        if (w > 0) StridedCopy.copyRun(value, 0, 1, out, i * w, 1, w);
        return out;
    }

    public static Buffer read(Buffer stacked, Buffer index) {
        long i = index.getLong(0);
        int size = stacked.shape().dim(0);
        if (i < 0 || i >= size) throw new InvalidArgumentError("Tried to read from index " + i + " but array size is: " + size);
        Shape element = elementShape(stacked.shape());
        Buffer out = Buffer.allocate(stacked.dtype(), element);
        long w = element.numElements();
        if (w > 0) StridedCopy.copyRun(stacked, i * w, 1, out, 0, 1, w);
        return out;
    }

    public static Shape elementShape(Shape stacked) {
        return Shape.of(java.util.Arrays.copyOfRange(stacked.dims(), 1, stacked.rank()));
    }
}
