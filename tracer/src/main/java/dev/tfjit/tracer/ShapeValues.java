package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ArrayOps;
import dev.tfjit.ir.ops.CreationOps;
import dev.tfjit.ir.ops.ElementwiseOps;

import java.util.Arrays;

/**
 * What is known, while tracing, of the value of a 1-D shape tensor: TF's
 * {@code tensor_as_shape}. An eager tensor or a traced constant is known exactly; {@code shape(x)}
 * (possibly cast) is known as far as {@code x}'s static shape is; otherwise only its length.
 * Ops that take a shape operand record this as their static {@code shape} attribute.
 */
final class ShapeValues {
    private ShapeValues() {}

    /** The known dims ({@code -1}: known only at run time), or null when even the length is unknown. */
    static long[] known(Tensor shape) {
        if (!shape.isSymbolic()) {
            boolean integral = shape.dtype() == DType.INT32 || shape.dtype() == DType.INT64;
            return integral && shape.rank() == 1 ? shape.buffer().toLongArray() : null; // the op's type rule names what is wrong
        }
        long[] fromProducer = shape.trace() == null ? null : fromProducer(shape.trace(), shape.symbolicValue());
        if (fromProducer != null) return fromProducer;
        Shape s = shape.shape();
        if (!s.hasRank() || s.rank() != 1 || s.dim(0) == Shape.UNKNOWN) return null;
        long[] dims = new long[s.dim(0)];
        Arrays.fill(dims, -1);
        return dims;
    }

    /** Adds the known dims of {@code shape} to {@code attrs} as {@code shape}, when anything is known. */
    static Attrs withKnown(Attrs attrs, Tensor shape) {
        long[] dims = known(shape);
        return dims == null ? attrs : attrs.with("shape", dims);
    }

    private static long[] fromProducer(TraceContext tc, Value v) {
        var op = tc.producerOp(v);
        if (op == CreationOps.CONSTANT) {
            boolean integral = v.dtype() == DType.INT32 || v.dtype() == DType.INT64;
            return integral && v.type().shape().rank() == 1 ? tc.producerAttrs(v).getTensor("value").toLongArray() : null;
        }
        if (op == ArrayOps.SHAPE) {
            Shape s = tc.producerInputs(v).get(0).type().shape();
            if (!s.hasRank()) return null;
            long[] dims = new long[s.rank()];
            for (int i = 0; i < dims.length; i++) dims[i] = s.dim(i); // Shape.UNKNOWN is -1
            return dims;
        }
        if (op == ElementwiseOps.CAST) return fromProducer(tc, tc.producerInputs(v).get(0));
        return null;
    }
}
