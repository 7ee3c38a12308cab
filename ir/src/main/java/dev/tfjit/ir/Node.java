package dev.tfjit.ir;

import java.util.List;

/**
 * One operation in a block: an op applied to input values with attributes, defining output
 * values; structured ops ({@code while}, {@code cond}) also own regions.
 */
public record Node(OpDef op, List<Value> inputs, Attrs attrs, List<Block> regions, List<Value> outputs,
                   SourceLocation location) {
    public Node {
        inputs = List.copyOf(inputs);
        regions = List.copyOf(regions);
        outputs = List.copyOf(outputs);
        if (location == null) location = SourceLocation.UNKNOWN;
    }

    public Value output() {
        if (outputs.size() != 1) throw new IllegalStateException(op.name() + " has " + outputs.size() + " outputs");
        return outputs.get(0);
    }

    @Override
    public boolean equals(Object o) { return this == o; }

    @Override
    public int hashCode() { return System.identityHashCode(this); }

    @Override
    public String toString() { return op.name() + inputs + " -> " + outputs; }
}
