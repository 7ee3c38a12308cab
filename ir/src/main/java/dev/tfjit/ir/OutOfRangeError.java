package dev.tfjit.ir;

/** An operation ran past the end of something: a closed and empty queue, the end of a sequence. */
public final class OutOfRangeError extends TfException {
    public OutOfRangeError(String message) { super(message); }
}
