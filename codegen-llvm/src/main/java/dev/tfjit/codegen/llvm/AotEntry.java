package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrPrinter;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.runtime.aot.AotMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One entry point to compile: a graph specialized to concrete argument shapes.
 *
 * @param signature the signature as the user declared it (may have {@code ?} dims), for the metadata
 * @param traced the graph as traced, before any pass ({@code --emit ir}); null when there is none
 * @param graph the graph to compile (optimized, variables frozen or made parameters)
 * @param shapes one concrete shape per parameter of {@code graph}
 * @param params the name and kind of each parameter of {@code graph}
 * @param results the name and kind of each result of {@code graph}
 */
public record AotEntry(String signature, Graph traced, Graph graph, List<Shape> shapes, List<Named> params, List<Named> results) {
    /** A parameter's or result's name and kind; its type comes from the graph and the shapes. */
    public record Named(String name, AotMetadata.Kind kind) {}

    public AotEntry {
        shapes = List.copyOf(shapes);
        params = List.copyOf(params);
        results = List.copyOf(results);
        if (params.size() != graph.params().size() || results.size() != graph.results().size()) {
            throw new IllegalArgumentException("@" + graph.name() + " has " + graph.params().size() + " parameters and "
                    + graph.results().size() + " results, named " + params.size() + " and " + results.size());
        }
    }

    /** An entry whose parameters are all tensor arguments named as in the IR text, and whose results are all outputs. */
    public static AotEntry of(Graph graph, List<Shape> shapes) {
        Map<Value, String> names = IrPrinter.valueNames(graph);
        List<Named> params = new ArrayList<>();
        for (Value p : graph.params()) params.add(new Named(names.get(p), AotMetadata.Kind.ARGUMENT));
        List<Named> results = new ArrayList<>();
        for (int i = 0; i < graph.results().size(); i++) results.add(new Named("output_" + i, AotMetadata.Kind.OUTPUT));
        StringBuilder sig = new StringBuilder();
        for (Value p : graph.params()) sig.append(sig.isEmpty() ? "" : ", ").append(p.type());
        return new AotEntry(sig.toString(), null, graph, shapes, params, results);
    }
}
