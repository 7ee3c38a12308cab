package dev.tfjit.ir;

/**
 * A graph that breaks an IR invariant. The message names the offending node the way the IR
 * text prints it ({@code %3 = add}), with its source location, then what is wrong.
 */
public final class VerificationError extends TfException {
    private final String op;
    private final String resultName;
    private final SourceLocation location;

    VerificationError(String op, String resultName, SourceLocation location, String problem) {
        super(describe(op, resultName, location) + ": " + problem);
        this.op = op;
        this.resultName = resultName;
        this.location = location == null ? SourceLocation.UNKNOWN : location;
    }

    /** The op of the offending node, or {@code return}/{@code yield} for a block's results. */
    public String op() { return op; }

    /** The printed name of the node's first result ({@code %3}), or null when it has none. */
    public String resultName() { return resultName; }

    public SourceLocation location() { return location; }

    private static String describe(String op, String resultName, SourceLocation location) {
        String where = location == null || location.equals(SourceLocation.UNKNOWN) ? "" : " (at " + location + ")";
        return (resultName == null ? op : resultName + " = " + op) + where;
    }
}
