package dev.tfjit.ir;

import java.util.List;

/**
 * A straight-line list of nodes with parameters and the values it yields. A function body and
 * each region of a {@code while}/{@code cond} is a block. Nodes may use values of enclosing
 * blocks (implicit capture), never values of sibling or inner blocks.
 */
public record Block(List<Value> params, List<Node> nodes, List<Value> results) {
    public Block {
        params = List.copyOf(params);
        nodes = List.copyOf(nodes);
        results = List.copyOf(results);
    }

    public List<TensorType> paramTypes() { return params.stream().map(Value::type).toList(); }

    public List<TensorType> resultTypes() { return results.stream().map(Value::type).toList(); }
}
