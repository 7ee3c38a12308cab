package dev.tfjit.cli;

import dev.tfjit.codegen.llvm.AotEntry;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrParser;
import dev.tfjit.ir.IrPrinter;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.Verifier;
import dev.tfjit.passes.PassManager;
import dev.tfjit.runtime.aot.AotMetadata;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Variable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options that name a function and its signatures, shared by {@code compile} and
 * {@code explain}: an IR file, or a class and method traced for each {@code --signature}; and
 * how unknown dims become concrete ({@code --batch}) and variables are compiled.
 */
final class FunctionOptions {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Where the graph comes from. */
    static final class Source {
        @Option(names = "--ir", paramLabel = "FILE.ir", description = "An IR text file (one func).")
        Path ir;

        @Option(names = "--class", paramLabel = "CLASS",
                description = "A class whose --method is a static method taking Tensors, or a static Function field or factory.")
        String className;
    }

    @Option(names = "--method", paramLabel = "NAME", description = "The method or Function field of --class to compile.")
    String method;

    @Option(names = "--classpath", paramLabel = "PATH", split = ":", description = "Where --class is found (jars or class directories, ':'-separated).")
    List<Path> classpath = new ArrayList<>();

    @Option(names = "--signature", paramLabel = "TYPES",
            description = {"A signature to compile, e.g. 'f32[?,784]' or 'f32[?,784], i32[?]': one tensor type per argument.",
                    "Repeat for more entry points. With --ir it defaults to the IR's parameter types."})
    List<String> signatures = new ArrayList<>();

    @Option(names = "--batch", paramLabel = "N", split = ",",
            description = {"The size each unknown dim (?) is compiled for: an artifact runs concrete shapes, as tfcompile's do.",
                    "--batch 1,32 compiles one entry point per size and signature."})
    List<Integer> batches = new ArrayList<>();

    @Option(names = "--variables", paramLabel = "MODE", defaultValue = "freeze",
            description = "freeze: variables become constants (default); args: they are parameters after the tensor arguments, "
                    + "and assigned variables' new values are extra results.")
    String variables;

    /** One traced (or parsed) signature: the graph to compile and what it needs. */
    record Trace(String signature, Graph traced, Variables.Handled handled, List<Shape> shapes, Function function) {}

    /** Simplification to a fixed point, as a ConcreteFunction runs it, verified before and after. */
    static Graph optimize(Graph g) {
        Verifier.verify(g);
        Graph out = PassManager.simplification().run(g);
        Verifier.verify(out);
        return out;
    }

    Variables variableMode() { return Variables.parse(variables); }

    /** The artifact's names of the variables the traces read, filled by {@link #traces()}. */
    final VariableNames variableNames = new VariableNames();

    List<Trace> traces() {
        Variables mode = variableMode();
        if (source.ir != null) {
            if (method != null || !classpath.isEmpty()) throw new TfException("--method and --classpath go with --class, not --ir");
            return irTraces();
        }
        if (method == null) throw new TfException("--class needs --method");
        if (signatures.isEmpty()) throw new TfException("--class needs at least one --signature, e.g. --signature 'f32[?,784]'");
        MethodTracer.Target target = MethodTracer.find(classpath, source.className, method);
        List<Trace> out = new ArrayList<>();
        for (String s : signatures) {
            MethodTracer.Traced t = target.trace(TypeSpecs.signature(s));
            for (Variable v : t.concrete().capturedVariables()) variableNames.of(v);
            Variables.Handled h = mode.apply(t.concrete(), t.argNames(), variableNames);
            out.add(new Trace(s.strip(), t.concrete().tracedGraph(), h, h.graph().paramTypes().stream().map(TensorType::shape).toList(),
                    t.function()));
        }
        return out;
    }

    private List<Trace> irTraces() {
        String text;
        try {
            text = Files.readString(source.ir);
        } catch (IOException e) {
            throw new TfException("cannot read " + source.ir + ": " + e.getMessage());
        }
        Graph parsed = IrParser.parse(text);
        Graph g = optimize(parsed);
        Map<Value, String> names = IrPrinter.valueNames(g);
        List<AotEntry.Named> params = new ArrayList<>();
        for (Value p : g.params()) params.add(new AotEntry.Named(names.get(p), AotMetadata.Kind.ARGUMENT));
        List<AotEntry.Named> results = new ArrayList<>();
        for (int i = 0; i < g.results().size(); i++) results.add(new AotEntry.Named("output_" + i, AotMetadata.Kind.OUTPUT));
        Variables.Handled h = new Variables.Handled(g, params, results, List.<Variable>of());
        List<Trace> out = new ArrayList<>();
        if (signatures.isEmpty()) {
            return List.of(new Trace(TypeSpecs.format(g.paramTypes()), parsed, h, g.paramTypes().stream().map(TensorType::shape).toList(), null));
        }
        for (String s : signatures) {
            List<TensorType> sig = TypeSpecs.signature(s);
            List<TensorType> declared = g.paramTypes();
            if (sig.size() != declared.size()) {
                throw new TfException("signature (" + TypeSpecs.format(sig) + ") gives " + sig.size() + " arguments, @" + g.name()
                        + " takes " + declared.size() + " (" + TypeSpecs.format(declared) + ")");
            }
            for (int i = 0; i < sig.size(); i++) {
                if (sig.get(i).dtype() != declared.get(i).dtype() || !declared.get(i).shape().accepts(sig.get(i).shape())) {
                    throw new TfException("signature (" + TypeSpecs.format(sig) + ") does not fit @" + g.name() + ": argument " + i
                            + " is " + declared.get(i) + ", the signature gives " + sig.get(i));
                }
            }
            out.add(new Trace(s.strip(), parsed, h, sig.stream().map(TensorType::shape).toList(), null));
        }
        return out;
    }

    /**
     * One entry point per trace and batch size: each {@code ?} becomes the batch size. A
     * signature with unknown dims and no {@code --batch} is refused; one without unknown dims
     * compiles once. The same concrete types twice compile once.
     */
    List<AotEntry> entries(List<Trace> traces) {
        for (int b : batches) if (b < 0) throw new TfException("--batch must be a size (0 or more), got " + b);
        List<AotEntry> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Trace t : traces) {
            boolean unknown = false;
            for (Shape s : t.shapes()) {
                if (!s.hasRank()) {
                    throw new TfException("signature (" + t.signature() + ") has an argument of unknown rank; an artifact needs each rank and size");
                }
                unknown |= !s.isFullyKnown();
            }
            if (unknown && batches.isEmpty()) {
                throw new TfException("signature (" + t.signature() + ") has unknown dims (?): an artifact is compiled for concrete "
                        + "shapes, as tfcompile's are; give --batch N (each ? becomes N; --batch 1,32 compiles one entry per size) "
                        + "or write the sizes");
            }
            for (int b : unknown ? batches : List.of(-1)) {
                List<Shape> concrete = new ArrayList<>();
                for (Shape s : t.shapes()) concrete.add(b < 0 ? s : withBatch(s, b));
                if (!seen.add(t.handled().graph().name() + concrete + t.handled().graph().paramTypes())) continue;
                out.add(new AotEntry(t.signature(), t.traced(), t.handled().graph(), concrete, t.handled().params(), t.handled().results()));
            }
        }
        return out;
    }

    private static Shape withBatch(Shape s, int batch) {
        int[] d = new int[s.rank()];
        for (int i = 0; i < d.length; i++) d[i] = s.dim(i) == Shape.UNKNOWN ? batch : s.dim(i);
        return Shape.of(d);
    }

    /** The artifact's default name: the function's, as a C identifier. */
    static String defaultName(List<Trace> traces) {
        String n = traces.get(0).handled().graph().name().replaceAll("[^A-Za-z0-9_]", "_");
        return n.isEmpty() || Character.isDigit(n.charAt(0)) ? "_" + n : n;
    }
}
