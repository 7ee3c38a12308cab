package dev.tfjit.ir;

/** An operation did not finish before its timeout. */
public final class DeadlineExceededError extends TfException {
    public DeadlineExceededError(String message) { super(message); }
}
