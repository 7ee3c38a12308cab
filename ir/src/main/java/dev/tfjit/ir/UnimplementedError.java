package dev.tfjit.ir;

/** A feature that tfjit does not support (yet); never a silent fallback. */
public final class UnimplementedError extends TfException {
    public UnimplementedError(String message) { super(message); }
}
