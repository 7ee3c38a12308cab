package dev.tfjit.tracer;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.DotPrinter;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.Verifier;
import dev.tfjit.passes.PassManager;
import dev.tfjit.runtime.Backend;
import dev.tfjit.runtime.DeviceBackend;
import dev.tfjit.runtime.DeviceExecutable;
import dev.tfjit.runtime.DeviceValue;
import dev.tfjit.runtime.Executable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One trace of a {@link Function} for one input signature, like TensorFlow's
 * {@code ConcreteFunction}: a graph whose parameters are the tensor arguments followed by the
 * captured variables, and whose results are the outputs followed by the variables it assigns.
 * It runs on the backend its Function chose.
 */
public final class ConcreteFunction {
    private final String name;
    private final Signature signature;
    private final List<TensorSpec> inputSpecs;
    private final Graph graph;
    private final Graph optimized;
    private final Executable executable;
    /** The same graph compiled by other backends (a device's, when called there), by backend name. */
    private final ConcurrentMap<String, Executable> elsewhere = new ConcurrentHashMap<>();
    private final List<Variable> captures;
    private final List<Variable> writes;
    private final Outputs outputs;
    private final String reason;
    private final Backend backend;

    /** How the Java function's result maps to graph results. */
    record Outputs(Kind kind, int count) {
        enum Kind { NONE, SINGLE, LIST }
    }

    ConcreteFunction(String name, Signature signature, Graph graph, List<Variable> captures, List<Variable> writes,
                     Outputs outputs, String reason, Backend backend) {
        this.name = name;
        this.signature = signature;
        this.inputSpecs = signature.tensorSpecs();
        this.graph = graph;
        this.optimized = optimize(graph);
        this.executable = backend.compile(optimized);
        this.backend = backend;
        this.captures = List.copyOf(captures);
        this.writes = List.copyOf(writes);
        this.outputs = outputs;
        this.reason = reason;
    }

    /**
     * Verifies the traced graph, then simplifies it to a fixed point. With assertions on (as in
     * tests) the verifier also runs after every pass, so a broken pass is caught where it broke.
     */
    private static Graph optimize(Graph traced) {
        Verifier.verify(traced);
        PassManager passes = PassManager.simplification();
        if (ConcreteFunction.class.desiredAssertionStatus()) passes = passes.withVerifier(Verifier::verify);
        return passes.run(traced);
    }

    public String name() { return name; }

    /** The backend that compiled this function ({@code interpreter}, {@code llvm-cpu}, ...). */
    public String backendName() { return backend.name(); }

    /** The traced graph as compiled (its IR text is {@code graph().toString()}). */
    public Graph graph() { return executable.graph(); }

    /** The graph straight from tracing, before optimization. */
    public Graph tracedGraph() { return graph; }

    /** The tensor parameters this function accepts (unknown dims accept any size). */
    public List<TensorSpec> inputSpecs() { return inputSpecs; }

    /** Variables read by the function: their values are passed in at each call. */
    public List<Variable> capturedVariables() { return captures; }

    /** Variables the function assigns: their new values are the graph's last results, in this order. */
    public List<Variable> assignedVariables() { return writes; }

    Signature signature() { return signature; }

    String reason() { return reason; }

    Outputs outputs() { return outputs; }

    /** Runs on tensors matching {@link #inputSpecs()} on the host (device tensors are read back); returns the flat outputs. */
    public List<Tensor> callFlat(List<Tensor> args) {
        checkArgs(args);
        List<Buffer> in = new ArrayList<>(args.size() + captures.size());
        for (Tensor t : args) in.add(t.buffer());
        for (Variable v : captures) in.add(v.buffer());
        List<Buffer> out = executable.run(in);
        int n = out.size() - writes.size();
        for (int i = 0; i < writes.size(); i++) writes.get(i).store(out.get(n + i));
        List<Tensor> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) result.add(new Tensor(out.get(i)));
        return result;
    }

    /**
     * Runs on {@code backend}'s device: host arguments are copied there for the call, captured
     * variables use their device copies (uploaded when the host value changed), the outputs stay
     * there, and assigned variables take their new values on the device (read back to the host
     * when read there). The graph is compiled for that backend on first use.
     */
    List<Tensor> callOnDevice(DeviceBackend backend, List<Tensor> args) {
        checkArgs(args);
        Executable exe = backend.name().equals(this.backend.name()) ? executable
                : elsewhere.computeIfAbsent(backend.name(), n -> backend.compile(optimized));
        List<DeviceValue> out = DevicePlacement.run((DeviceExecutable) exe, backend, args, captures);
        int n = out.size() - writes.size();
        for (int i = 0; i < writes.size(); i++) writes.get(i).storeOnDevice(out.get(n + i));
        List<Tensor> result = new ArrayList<>(n);
        for (int i = 0; i < n; i++) result.add(new Tensor(out.get(i)));
        return result;
    }

    private void checkArgs(List<Tensor> args) {
        if (args.size() != inputSpecs.size()) {
            throw new TfException(name + " takes " + inputSpecs.size() + " tensor arguments, got " + args.size());
        }
        for (int i = 0; i < args.size(); i++) {
            Tensor t = args.get(i);
            TensorSpec spec = inputSpecs.get(i);
            if (t.dtype() != spec.dtype()) {
                throw new DTypeError(name + ": argument " + i + " must be " + spec.dtype() + ", got " + t.dtype());
            }
            if (!spec.shape().accepts(t.shape())) {
                throw new ShapeError(name + ": argument " + i + " must have shape " + spec.shape() + ", got " + t.shape());
            }
        }
    }

    /** Graphviz text of {@link #graph()}. */
    public String toDot() { return DotPrinter.print(graph()); }

    /** Runs on tensors; returns the single output. */
    public Tensor call(Tensor... args) {
        List<Tensor> out = callFlat(List.of(args));
        if (out.size() != 1) throw new TfException(name + " returns " + out.size() + " tensors; use callFlat");
        return out.get(0);
    }

    @Override
    public String toString() { return "ConcreteFunction " + name + signature; }
}
