package dev.tfjit.tracer;

import dev.tfjit.ir.Graph;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.Value;
import dev.tfjit.runtime.Backend;
import dev.tfjit.runtime.Backends;
import dev.tfjit.runtime.DeviceBackend;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Java function compiled like {@code tf.function}: the first call with a new input signature
 * traces it (runs the Java code once with symbolic tensors, recording a graph), and later calls
 * with that signature run the graph. The signature is each tensor argument's dtype and shape and
 * each Java argument's value, so Java side effects run only while tracing and Java values are
 * baked in as constants.
 *
 * <pre>{@code
 * Function f = Function.of((Tensor x, Tensor y) -> Tf.reduceSum(x.mul(y).add(1f)));
 * Tensor r = f.call(a, b);
 * }</pre>
 *
 * With the autograph module on the class path, {@code Function.of} converts the lambda's
 * tensor-dependent {@code if}/{@code while}/{@code for} into {@code cond}/{@code while} nodes
 * (AutoGraph, see {@link FunctionConverter}); {@link #withAutograph} turns that off.
 *
 * <p>Thread-safe: concurrent calls share the cache, and a signature is traced once.
 *
 * <p>Called in a {@code Tf.device("gpu:0")} scope, with arguments on a GPU, or made with a
 * device backend ({@code withBackend("ptx-gpu")}), the function runs on that device: host
 * arguments and captured variables are copied there for the call, results stay there, and
 * assigned variables get their new values back on the host. One trace serves every device.
 */
public final class Function {
    /** Retracing more often than this warns once. */
    static final int RETRACE_WARNING_THRESHOLD = 5;

    private final String name;
    private final Object source; // the user's lambda, for AutoGraph and names
    private final Traceable.Invoker invoker;
    private final Signature inputSignature; // null: trace per concrete signature
    private final boolean reduceRetracing;
    private final String backendName; // null: the preferred backend

    private final Map<Signature, ConcreteFunction> cache = new ConcurrentHashMap<>();
    private final List<ConcreteFunction> traces = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Object traceLock = new Object();
    private volatile ConcreteFunction lastUsed;

    private Function(String name, Object source, Traceable.Invoker invoker, Signature inputSignature, boolean reduceRetracing,
                     String backendName) {
        this.name = name;
        this.backendName = backendName;
        this.source = source;
        this.invoker = invoker;
        this.inputSignature = inputSignature;
        this.reduceRetracing = reduceRetracing;
    }

    public static Function of(Traceable.F0 f) { return of(f, a -> f.apply()); }

    @SuppressWarnings("unchecked")
    public static <A> Function of(Traceable.F1<A> f) { return of(f, a -> f.apply((A) a[0])); }

    @SuppressWarnings("unchecked")
    public static <A, B> Function of(Traceable.F2<A, B> f) { return of(f, a -> f.apply((A) a[0], (B) a[1])); }

    @SuppressWarnings("unchecked")
    public static <A, B, C> Function of(Traceable.F3<A, B, C> f) { return of(f, a -> f.apply((A) a[0], (B) a[1], (C) a[2])); }

    @SuppressWarnings("unchecked")
    public static <A, B, C, D> Function of(Traceable.F4<A, B, C, D> f) {
        return of(f, a -> f.apply((A) a[0], (B) a[1], (C) a[2], (D) a[3]));
    }

    /** AutoGraph converts the lambda on its first trace when the autograph module is on the class path (see {@link FunctionConverter}). */
    private static Function of(Object f, Traceable.Invoker plain) {
        return new Function("f", f, new Autographed(f, plain, true), null, false, null);
    }

    /**
     * A function of any arity whose arguments arrive as one array; {@code source} is the Java
     * code it stands for (a method, for {@code @TfFunction}), as {@link #source()} reports it.
     */
    public static Function ofArguments(String name, Object source, java.util.function.Function<Object[], Object> f) {
        return new Function(name, source, f::apply, null, false, null);
    }

    /** The same function under a name used in graphs, errors and explain(). */
    public Function named(String newName) { return new Function(newName, source, invoker, inputSignature, reduceRetracing, backendName); }

    /**
     * The same function with a fixed input signature, like {@code input_signature=}: one trace
     * whose unknown dims accept any size; calls that do not fit are errors.
     */
    public Function withInputSignature(TensorSpec... specs) {
        return new Function(name, source, invoker, Signature.of(specs), reduceRetracing, backendName);
    }

    /** The same function generalizing shapes after a retrace, like {@code reduce_retracing=True}. */
    public Function withReduceRetracing(boolean on) { return new Function(name, source, invoker, inputSignature, on, backendName); }

    /**
     * The same function compiled to native code by the LLVM backend, like TensorFlow's
     * {@code jit_compile=True}; an op that backend cannot lower is an error when the function is
     * traced, never a silent fallback. {@code false} returns to the default backend.
     */
    public Function withJitCompile(boolean on) { return withBackend(on ? "llvm-cpu" : null); }

    /** The same function on the named backend (see {@code Backends.all()}); null for the default. */
    public Function withBackend(String name) { return new Function(this.name, source, invoker, inputSignature, reduceRetracing, name); }

    /**
     * The same function with AutoGraph on or off, like {@code tf.function(autograph=...)}: off traces
     * the Java as it is, so an {@code if} on a symbolic tensor is an error instead of a {@code cond}.
     * It applies to functions made by {@code Function.of}; other functions chose when they were made
     * ({@code @TfFunction(autograph = ...)}).
     */
    public Function withAutograph(boolean on) {
        if (!(invoker instanceof Autographed a)) {
            if (on) return this;
            throw new TfException(name + " was not made by Function.of; turn AutoGraph off where it was made (@TfFunction(autograph = false))");
        }
        return new Function(name, source, a.withEnabled(on), inputSignature, reduceRetracing, backendName);
    }

    /** False when {@link #withAutograph(boolean) withAutograph(false)} turned AutoGraph off for this function. */
    public boolean autograph() { return !(invoker instanceof Autographed a) || a.enabled(); }

    public String name() { return name; }

    /** The Java function this traces (AutoGraph reads its bytecode). */
    public Object source() { return source; }

    /** Calls the function; it must return one tensor. */
    public Tensor call(Object... args) {
        List<Tensor> out = callAll(args);
        if (out.size() != 1) {
            throw new TfException(name + " returns " + out.size() + " tensors; use callAll to get them all");
        }
        return out.get(0);
    }

    /** Calls the function and returns all of its output tensors (none for a function returning null). */
    public List<Tensor> callAll(Object... args) {
        Object[] actual = normalize(args);
        if (TapeContext.runsFunctionsInline(ExecutionContext.current())) {
            // Called from a function being traced: trace inline into the caller's graph. Under a
            // gradient tape: run the body's ops inline too, so the tape records them.
            return flattenResult(invoker.invoke(actual), null);
        }
        List<Tensor> tensors = tensorsOf(actual);
        DeviceBackend placed = DevicePlacement.forFunction(backendName, tensors); // null: the host
        ConcreteFunction cf = lastUsed;
        if (cf == null || !cf.signature().accepts(actual)) cf = concreteFor(actual, placed);
        lastUsed = cf;
        return placed == null ? cf.callFlat(tensors) : cf.callOnDevice(placed, tensors);
    }

    /**
     * The concrete function for these arguments, tracing if needed, like
     * {@code get_concrete_function}. Arguments may be {@link TensorSpec}s with unknown dims.
     */
    public ConcreteFunction concrete(Object... argsOrSpecs) {
        Object[] actual = normalize(argsOrSpecs);
        Signature sig = Signature.of(actual);
        ConcreteFunction cf = cache.get(sig);
        if (cf != null) return cf;
        synchronized (traceLock) {
            cf = cache.get(sig);
            if (cf == null) cf = trace(inputSignature != null ? checkedAgainstInputSignature(actual) : sig, null);
            cache.put(sig, cf);
            return cf;
        }
    }

    /** How many times this function has been traced. */
    public int traceCount() { return traces.size(); }

    /** The concrete functions traced so far, oldest first. */
    public List<ConcreteFunction> concreteFunctions() { return List.copyOf(traces); }

    /** Warnings issued so far (also printed to stderr). */
    public List<String> warnings() { return List.copyOf(warnings); }

    /** Lists each trace with its signature and why it was made. */
    public String explain() {
        StringBuilder sb = new StringBuilder("Function ").append(name).append(": ").append(traces.size())
                .append(traces.size() == 1 ? " trace" : " traces");
        if (inputSignature != null) sb.append(", input signature ").append(inputSignature);
        if (reduceRetracing) sb.append(", reduce_retracing");
        sb.append('\n');
        int i = 1;
        for (ConcreteFunction cf : traces) {
            Graph g = cf.graph();
            sb.append("  #").append(i++).append(' ').append(cf.signature()).append(": ").append(cf.reason())
                    .append(" (").append(g.body().nodes().size()).append(g.body().nodes().size() == 1 ? " node" : " nodes");
            if (!cf.capturedVariables().isEmpty()) sb.append(", captures ").append(cf.capturedVariables().size()).append(" variables");
            sb.append(", ").append(cf.backendName());
            sb.append(")\n");
        }
        return sb.toString();
    }

    /** {@code placed}: the device backend the call runs on (a new trace compiles for it first), or null. */
    private ConcreteFunction concreteFor(Object[] actual, Backend placed) {
        Signature sig = Signature.of(actual);
        ConcreteFunction cf = cache.get(sig);
        if (cf != null) return cf;
        for (ConcreteFunction t : traces) {
            if (t.signature().accepts(actual)) {
                cache.put(sig, t);
                return t;
            }
        }
        synchronized (traceLock) {
            cf = cache.get(sig);
            if (cf != null) return cf;
            for (ConcreteFunction t : traces) if (t.signature().accepts(actual)) return t;
            Signature traceSig = sig;
            if (inputSignature != null) {
                traceSig = checkedAgainstInputSignature(actual);
            } else if (reduceRetracing && !traces.isEmpty()) {
                Signature w = sig.widenedWith(traces.get(traces.size() - 1).signature());
                if (w != null) traceSig = w;
            }
            cf = trace(traceSig, placed);
            cache.put(sig, cf);
            return cf;
        }
    }

    private Signature checkedAgainstInputSignature(Object[] actual) {
        if (!inputSignature.accepts(actual) && !Signature.of(actual).equals(inputSignature)) {
            throw new TfException(name + " was called with " + Signature.of(actual) + ", which does not match its input signature "
                    + inputSignature + ". Pass tensors of those dtypes and shapes (unknown dims accept any size)");
        }
        return inputSignature;
    }

    /**
     * Runs the Java function with symbolic tensors and records its graph, compiled for
     * {@code placed} (the backend of the device the call runs on) or else for this function's
     * backend. Holds traceLock.
     */
    private ConcreteFunction trace(Signature sig, Backend placed) {
        String reason = traces.isEmpty() ? "first call"
                : "retraced: " + sig.describeChangeFrom(traces.get(traces.size() - 1).signature());
        TraceContext tc = new TraceContext(name, traces.isEmpty());
        List<TensorSpec> specs = sig.tensorSpecs();
        List<Tensor> params = new ArrayList<>(specs.size());
        for (int i = 0; i < specs.size(); i++) params.add(tc.parameter(specs.get(i).type(), "arg" + i));
        Object[] symbolic = rebuild(sig.args(), params.iterator());
        List<Tensor> results;
        ConcreteFunction.Outputs[] outputs = new ConcreteFunction.Outputs[1];
        try (var scope = Contexts.push(tc)) {
            results = flattenResult(invoker.invoke(symbolic), outputs);
        }
        List<Value> graphResults = new ArrayList<>();
        for (Tensor t : results) graphResults.add(tc.valueOf(t));
        Map<Variable, Value> writes = tc.variableWrites();
        graphResults.addAll(writes.values());
        Graph g = tc.builder().build(graphResults);
        ConcreteFunction cf = new ConcreteFunction(name, sig, g, List.copyOf(tc.capturedVariables().keySet()),
                List.copyOf(writes.keySet()), outputs[0], reason,
                placed != null ? placed : backendName == null ? Backends.preferred() : Backends.named(backendName));
        traces.add(cf);
        if (traces.size() == RETRACE_WARNING_THRESHOLD + 1) warn(reason);
        return cf;
    }

    private void warn(String reason) {
        String msg = "tfjit: WARNING: " + name + " has been traced " + traces.size() + " times; the last retrace was caused by "
                + reason.substring(reason.indexOf(':') + 2) + ". Tracing is expensive. To avoid it, pass tensors instead of "
                + "Java values that change, and use withInputSignature(TensorSpec.of(dtype, \"?\", ...)) or "
                + "withReduceRetracing(true) so that one trace accepts any size.";
        warnings.add(msg);
        System.err.println(msg);
    }

    /** Java arrays of numbers become tensors, as TensorFlow converts NumPy arrays. */
    private static Object[] normalize(Object[] args) {
        Object[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            Object o = out[i];
            if (o != null && isPrimitiveArray(o.getClass())) out[i] = Tf.constant(o);
        }
        return out;
    }

    /** {@code float[]}, {@code int[][]}, ...: numbers, not a list of tensors. */
    private static boolean isPrimitiveArray(Class<?> c) {
        if (!c.isArray()) return false;
        while (c.isArray()) c = c.getComponentType();
        return c.isPrimitive();
    }

    private static List<Tensor> tensorsOf(Object[] args) {
        List<Tensor> out = new ArrayList<>();
        for (Object o : args) collectTensors(o, out);
        return out;
    }

    private static void collectTensors(Object o, List<Tensor> out) {
        switch (o) {
            case Tensor t -> out.add(t);
            case List<?> l -> l.forEach(x -> collectTensors(x, out));
            case Object[] a -> { for (Object x : a) collectTensors(x, out); }
            case null, default -> { }
        }
    }

    private static Object[] rebuild(List<Signature.Arg> args, Iterator<Tensor> params) {
        Object[] out = new Object[args.size()];
        for (int i = 0; i < out.length; i++) out[i] = rebuild(args.get(i), params);
        return out;
    }

    private static Object rebuild(Signature.Arg a, Iterator<Tensor> params) {
        return switch (a) {
            case Signature.TensorArg t -> params.next();
            case Signature.JavaArg j -> j.value();
            case Signature.ListArg l -> {
                List<Object> items = new ArrayList<>();
                for (Signature.Arg x : l.items()) items.add(rebuild(x, params));
                yield items;
            }
        };
    }

    /** The Java result as tensors: a tensor, a list or array of tensors, a number (a constant), or null. */
    private List<Tensor> flattenResult(Object r, ConcreteFunction.Outputs[] kind) {
        List<Tensor> out = new ArrayList<>();
        ConcreteFunction.Outputs.Kind k;
        switch (r) {
            case null -> k = ConcreteFunction.Outputs.Kind.NONE;
            case Tensor t -> { out.add(t); k = ConcreteFunction.Outputs.Kind.SINGLE; }
            case List<?> l -> { for (Object o : l) out.add(asTensor(o)); k = ConcreteFunction.Outputs.Kind.LIST; }
            case Tensor[] a -> { for (Tensor t : a) out.add(asTensor(t)); k = ConcreteFunction.Outputs.Kind.LIST; }
            case Variable v -> { out.add(v.read()); k = ConcreteFunction.Outputs.Kind.SINGLE; }
            default -> { out.add(asTensor(r)); k = ConcreteFunction.Outputs.Kind.SINGLE; }
        }
        if (kind != null) kind[0] = new ConcreteFunction.Outputs(k, out.size());
        return out;
    }

    private Tensor asTensor(Object o) {
        return switch (o) {
            case Tensor t -> t;
            case Variable v -> v.read();
            case Number n -> Tf.constant(n);
            case Boolean b -> Tf.constant(b);
            case null -> throw new TfException(name + " returned a list holding null; return tensors");
            default -> throw new TfException(name + " returned a " + o.getClass().getName() + "; a Function returns tensors, "
                    + "lists or arrays of tensors, numbers, or null");
        };
    }

    @Override
    public String toString() { return "Function " + name; }
}
