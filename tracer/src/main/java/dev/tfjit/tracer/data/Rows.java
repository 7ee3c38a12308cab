package dev.tfjit.tracer.data;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Tensor;

import java.util.Arrays;

/**
 * Row {@code i} of an eager tensor as a copy of its memory. Sources and unbatch slice every
 * element this way: one memcpy instead of an eager strided-slice op (index parsing, type rule,
 * source location) per element, which would dominate a pipeline over small images. Pipelines
 * run only on eager tensors, so reading the buffer here is fine.
 */
final class Rows {
    private Rows() {}

    static Tensor row(Tensor t, int i) {
        Buffer b = t.buffer();
        int[] dims = b.shape().dims();
        if (i < 0 || i >= dims[0]) throw new IndexOutOfBoundsException("row " + i + " of shape " + b.shape());
        Shape rest = Shape.of(Arrays.copyOfRange(dims, 1, dims.length));
        long n = rest.numElements();
        if (b.dtype() == DType.STRING) {
            return Tensor.of(Buffer.ofStrings(rest, Arrays.copyOfRange(b.strings(), Math.toIntExact(i * n), Math.toIntExact((i + 1) * n))));
        }
        Buffer out = Buffer.allocate(b.dtype(), rest);
        long bytes = n * b.dtype().byteSize();
        out.segment().copyFrom(b.segment().asSlice(i * bytes, bytes));
        return Tensor.of(out);
    }
}
