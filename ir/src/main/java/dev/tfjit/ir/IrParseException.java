package dev.tfjit.ir;

/** IR text that cannot be read: the message starts with {@code line:column:} and says what was expected. */
public final class IrParseException extends TfException {
    private final int line;
    private final int column;

    public IrParseException(int line, int column, String message) {
        super(line + ":" + column + ": " + message);
        this.line = line;
        this.column = column;
    }

    public IrParseException(int line, int column, String message, Throwable cause) {
        super(line + ":" + column + ": " + message, cause);
        this.line = line;
        this.column = column;
    }

    /** 1-based line of the offending token. */
    public int line() { return line; }

    /** 1-based column of the offending token. */
    public int column() { return column; }
}
