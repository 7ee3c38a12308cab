package dev.tfjit.ir;

/**
 * Base of every error tfjit reports for bad user input. Messages follow TensorFlow's wording
 * where TensorFlow has one, prefixed with the op and the user's source line once known.
 */
public class TfException extends RuntimeException {
    public TfException(String message) { super(message); }

    public TfException(String message, Throwable cause) { super(message, cause); }

    /** The same kind of error, with the op name and source location in front of the message. */
    public TfException in(String op, SourceLocation location) {
        String where = location == null || location == SourceLocation.UNKNOWN ? "" : " (at " + location + ")";
        String msg = op + ": " + getMessage() + where;
        TfException e = switch (this) {
            case DTypeError d -> new DTypeError(msg);
            case ShapeError s -> new ShapeError(msg);
            case InvalidArgumentError a -> new InvalidArgumentError(msg);
            case UnimplementedError u -> new UnimplementedError(msg);
            default -> new TfException(msg);
        };
        e.initCause(this);
        return e;
    }
}
