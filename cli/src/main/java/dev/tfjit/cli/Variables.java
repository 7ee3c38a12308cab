package dev.tfjit.cli;

import dev.tfjit.codegen.llvm.AotEntry;
import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Block;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.CreationOps;
import dev.tfjit.runtime.aot.AotMetadata;
import dev.tfjit.tracer.ConcreteFunction;
import dev.tfjit.tracer.Variable;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code --variables}: what becomes of the variables a traced function reads and assigns. A
 * concrete function's graph takes its tensor arguments followed by the captured variables, and
 * returns its outputs followed by the new values of the variables it assigns.
 *
 * <ul>
 * <li>{@code freeze} (the default, as in tfcompile): each captured variable's current value
 * becomes a constant of the graph, so the optimizer folds what it can; a function that assigns
 * a variable cannot be frozen (the artifact would have nowhere to keep the state).
 * <li>{@code args}: the variables stay parameters after the tensor arguments, and assigned
 * variables' new values are extra results: the caller keeps the state.
 * </ul>
 */
enum Variables {
    FREEZE, ARGS;

    /** The graph to compile, its parameters' and results' names and kinds, and the variables the function reads. */
    record Handled(Graph graph, List<AotEntry.Named> params, List<AotEntry.Named> results, List<Variable> captured) {}

    /** {@code names} gives each variable its name in the artifact (unique: TensorFlow-style names repeat). */
    Handled apply(ConcreteFunction cf, List<String> argNames, VariableNames names) {
        Graph g = cf.graph();
        int nArgs = argNames.size();
        List<Variable> captured = cf.capturedVariables();
        List<Variable> assigned = cf.assignedVariables();
        int nOutputs = g.results().size() - assigned.size();
        List<AotEntry.Named> params = new ArrayList<>();
        for (String n : argNames) params.add(new AotEntry.Named(n, AotMetadata.Kind.ARGUMENT));
        List<AotEntry.Named> results = new ArrayList<>();
        for (int i = 0; i < nOutputs; i++) results.add(new AotEntry.Named("output_" + i, AotMetadata.Kind.OUTPUT));
        if (this == ARGS) {
            for (Variable v : captured) params.add(new AotEntry.Named(names.of(v), AotMetadata.Kind.VARIABLE));
            for (Variable v : assigned) results.add(new AotEntry.Named(names.of(v), AotMetadata.Kind.VARIABLE));
            return new Handled(g, params, results, captured);
        }
        if (!assigned.isEmpty()) {
            throw new TfException(cf.name() + " assigns variable '" + assigned.get(0).name() + "', which a frozen artifact cannot keep:"
                    + " compile with --variables args to pass variables in and get their new values back");
        }
        List<Value> args = g.params().subList(0, nArgs);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < captured.size(); i++) {
            Value p = g.params().get(nArgs + i);
            Buffer value = captured.get(i).value().buffer();
            // The parameter's value object becomes the constant's output, so every use now reads the constant.
            nodes.add(new Node(CreationOps.CONSTANT, List.of(), Attrs.of("value", value), List.of(), List.of(p), p.location()));
        }
        nodes.addAll(g.body().nodes());
        Graph frozen = new Graph(g.name(), new Block(args, nodes, g.results()));
        return new Handled(FunctionOptions.optimize(frozen), params, results, captured);
    }

    static Variables parse(String s) {
        return switch (s) {
            case "freeze" -> FREEZE;
            case "args" -> ARGS;
            default -> throw new TfException("unknown --variables '" + s + "'; choose freeze (constants, the default) or args (parameters)");
        };
    }

    String flag() { return this == FREEZE ? "freeze" : "args"; }
}
