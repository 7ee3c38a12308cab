package dev.tfjit.ir;

/** A value that is wrong at run time: an index out of range, an integer division by zero. */
public final class InvalidArgumentError extends TfException {
    public InvalidArgumentError(String message) { super(message); }
}
