package dev.tfjit.ir;

/** Operands of the wrong or mismatched dtypes (tfjit never casts implicitly). */
public final class DTypeError extends TfException {
    public DTypeError(String message) { super(message); }
}
