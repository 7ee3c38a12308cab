package dev.tfjit.tracer;

import dev.tfjit.ir.Buffer;

/** Prints eager tensors the way TensorFlow does (NumPy's array formatting inside). */
final class TensorFormatter {
    private TensorFormatter() {}

    static String format(Buffer b) {
        StringBuilder sb = new StringBuilder("tf.Tensor(");
        sb.append(b.dtype() == dev.tfjit.ir.DType.STRING ? java.util.Arrays.toString(b.strings()) : java.util.Arrays.toString(b.toDoubleArray()));
        return sb.append(", shape=").append(b.shape()).append(", dtype=").append(b.dtype()).append(')').toString();
    }
}
