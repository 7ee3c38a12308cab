package dev.tfjit.ir;

/**
 * A tensor as a gradient rule sees it: only its type. The caller decides what stands behind it
 * (an eager tensor, or a graph value while tracing), so one rule serves both.
 */
public interface Operand {
    TensorType type();

    default DType dtype() { return type().dtype(); }

    default Shape shape() { return type().shape(); }
}
