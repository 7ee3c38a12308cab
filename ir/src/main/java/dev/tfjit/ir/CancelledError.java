package dev.tfjit.ir;

/** An operation was cancelled: an enqueue on a closed queue. */
public final class CancelledError extends TfException {
    public CancelledError(String message) { super(message); }
}
