package dev.tfjit.ir;

/** Shapes, ranks or axes that do not fit an op. */
public final class ShapeError extends TfException {
    public ShapeError(String message) { super(message); }
}
