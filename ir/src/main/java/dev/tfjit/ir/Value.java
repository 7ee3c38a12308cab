package dev.tfjit.ir;

/**
 * An SSA value: the result of a node, or a parameter of a block. Identity is object identity;
 * printed names ({@code %0}, {@code %x}) are assigned by the printer.
 */
public final class Value {
    private final TensorType type;
    private final SourceLocation location;
    private final String nameHint; // may be null

    public Value(TensorType type, SourceLocation location, String nameHint) {
        this.type = type;
        this.location = location == null ? SourceLocation.UNKNOWN : location;
        this.nameHint = nameHint;
    }

    public TensorType type() { return type; }

    public DType dtype() { return type.dtype(); }

    public Shape shape() { return type.shape(); }

    public SourceLocation location() { return location; }

    /** A preferred printed name (parameters keep their names), or null. */
    public String nameHint() { return nameHint; }

    @Override
    public String toString() { return (nameHint == null ? "%" + Integer.toHexString(System.identityHashCode(this)) : "%" + nameHint) + ":" + type; }
}
