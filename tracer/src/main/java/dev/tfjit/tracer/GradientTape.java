package dev.tfjit.tracer;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.UnimplementedError;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Records operations for automatic differentiation, like {@code tf.GradientTape}. Recording
 * starts when the tape is made and stops when it is closed, so use it with try-with-resources
 * and ask for gradients afterwards:
 *
 * <pre>{@code
 * try (GradientTape tape = new GradientTape()) {
 *     z = f(w1, w2);          // trainable variables read here are watched automatically
 * }
 * List<Tensor> grads = tape.gradient(z, List.of(w1, w2));
 * }</pre>
 *
 * Works eagerly and inside traced Functions (there the backward pass becomes more graph nodes).
 * Tapes nest: an outer tape records the gradient computation of an inner one, which gives
 * higher derivatives. A tape that is not persistent computes one set of gradients.
 */
public final class GradientTape implements AutoCloseable {
    private final TapeContext tape;
    private final boolean persistent;
    private final Contexts.Scope scope;
    private boolean closed;
    private boolean used;

    /** Stops recording while open, from {@link #stopRecording()}. */
    public interface Pause extends AutoCloseable {
        @Override
        void close();
    }

    public GradientTape() { this(false, true); }

    public GradientTape(boolean persistent) { this(persistent, true); }

    /**
     * @param persistent whether {@link #gradient} may be called more than once
     * @param watchAccessedVariables whether trainable variables read while recording are watched
     *        automatically ({@code watch_accessed_variables})
     */
    public GradientTape(boolean persistent, boolean watchAccessedVariables) {
        this.persistent = persistent;
        this.tape = new TapeContext(ExecutionContext.current(), watchAccessedVariables);
        this.scope = Contexts.push(tape);
    }

    /** A tape whose gradients may be asked for several times. */
    public static GradientTape persistent() { return new GradientTape(true, true); }

    /** Ends recording (leaving the {@code with} block). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        scope.close();
    }

    public boolean isPersistent() { return persistent; }

    /** Makes gradients with respect to these tensors available; non-floating tensors are ignored, as TF warns and skips them. */
    public void watch(Tensor... tensors) {
        for (Tensor t : tensors) if (t.dtype().isFloating()) tape.watch(t);
    }

    public void watch(Variable... variables) {
        for (Variable v : variables) tape.watch(v);
    }

    /** The variables this tape watches, in the order they were first watched or read. */
    public List<Variable> watchedVariables() { return List.copyOf(tape.watchedVariables()); }

    /** Ops run while the returned pause is open are not recorded ({@code tape.stop_recording()}). */
    public Pause stopRecording() {
        if (closed) throw new TfException("GradientTape.stopRecording: the tape is not recording (it was closed)");
        boolean was = tape.setRecording(false);
        return () -> tape.setRecording(was);
    }

    /** Forgets everything recorded so far; recording goes on if the tape is open. */
    public void reset() {
        tape.reset();
        used = false;
    }

    // ------------------------------------------------------------ gradients

    /** d target / d source; null when the target does not depend on it. */
    public Tensor gradient(Tensor target, Tensor source) { return gradient(target, List.of(source)).get(0); }

    public Tensor gradient(Tensor target, Variable source) { return gradient(target, List.of(source)).get(0); }

    /** Gradients with respect to each source, each a {@link Tensor} or {@link Variable}. */
    public List<Tensor> gradient(Tensor target, List<?> sources) {
        return gradient(List.of(target), sources, null, UnconnectedGradients.NONE);
    }

    public List<Tensor> gradient(Tensor target, List<?> sources, UnconnectedGradients unconnected) {
        return gradient(List.of(target), sources, null, unconnected);
    }

    /**
     * The gradient of the sum of the targets, each weighted by its output gradient (null: ones),
     * with respect to each source ({@code tape.gradient(target, sources, output_gradients,
     * unconnected_gradients)}).
     */
    public List<Tensor> gradient(List<Tensor> targets, List<?> sources, List<Tensor> outputGradients,
                                 UnconnectedGradients unconnected) {
        claim("gradient");
        List<Tensor> seeds = outputGradients == null ? Collections.nCopies(targets.size(), null) : outputGradients;
        if (seeds.size() != targets.size()) {
            throw new TfException("GradientTape.gradient: " + targets.size() + " targets but " + seeds.size() + " output gradients");
        }
        return compute(targets, sources, seeds, unconnected);
    }

    private void claim(String what) {
        if (used && !persistent) {
            throw new TfException("A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians); "
                    + "use new GradientTape(true) to call " + what + " again");
        }
        used = true;
    }

    private List<Tensor> compute(List<Tensor> targets, List<?> sources, List<Tensor> seeds, UnconnectedGradients unconnected) {
        List<List<Tensor>> standIns = new ArrayList<>(sources.size());
        for (Object s : sources) {
            switch (s) {
                case Tensor t -> standIns.add(List.of(t));
                case Variable v -> standIns.add(tape.readsOf(v));
                case null -> throw new TfException("GradientTape.gradient: a source is null");
                default -> throw new TfException("GradientTape.gradient: sources must be Tensors or Variables, got " + s.getClass().getName());
            }
        }
        // The backward ops are not recorded on this tape; an enclosing tape records them.
        boolean was = tape.setRecording(false);
        try {
            List<Tensor> grads = new ArrayList<>(Backprop.run(tape, targets, seeds, standIns));
            for (int i = 0; i < grads.size(); i++) {
                if (grads.get(i) == null && unconnected == UnconnectedGradients.ZERO) grads.set(i, zerosFor(sources.get(i)));
            }
            return grads;
        } finally {
            tape.setRecording(was);
        }
    }

    private static Tensor zerosFor(Object source) {
        if (source instanceof Variable v) return Tf.zeros(v.shape().dims(), v.dtype());
        return Tf.zerosLike((Tensor) source);
    }

    // ------------------------------------------------------------ jacobians

    /**
     * The Jacobian of every element of target with respect to every element of source, shape
     * {@code target.shape + source.shape}; one backward pass per target element. Null when
     * unconnected.
     */
    public Tensor jacobian(Tensor target, Object source) { return jacobian(target, source, UnconnectedGradients.NONE); }

    public Tensor jacobian(Tensor target, Object source, UnconnectedGradients unconnected) {
        claim("jacobian");
        Shape ts = knownShape("jacobian", "target", target.shape());
        Shape ss = knownShape("jacobian", "source", sourceShape(source));
        int n = Math.toIntExact(ts.numElements());
        List<Tensor> rows = new ArrayList<>(n);
        boolean connected = false;
        for (int i = 0; i < n; i++) {
            Tensor row = compute(List.of(target), List.of(source), List.of(basis(target, ts, new long[] {i})), UnconnectedGradients.NONE).get(0);
            connected |= row != null;
            rows.add(row);
        }
        return assemble(rows, connected, unconnected, ts.dims(), ss.dims(), source, 0);
    }

    /**
     * For a target and source whose first dim is the batch and whose batch rows do not interact,
     * the per-row Jacobians, shape {@code [batch] + target.shape[1:] + source.shape[1:]}; one
     * backward pass per element of a target row.
     */
    public Tensor batchJacobian(Tensor target, Tensor source) { return batchJacobian(target, source, UnconnectedGradients.NONE); }

    public Tensor batchJacobian(Tensor target, Tensor source, UnconnectedGradients unconnected) {
        claim("batchJacobian");
        Shape ts = knownShape("batchJacobian", "target", target.shape());
        Shape ss = knownShape("batchJacobian", "source", source.shape());
        if (ts.rank() < 1 || ss.rank() < 1 || ts.dim(0) != ss.dim(0)) {
            throw new TfException("batchJacobian: target and source need the same first (batch) dim, got shapes " + ts + " and " + ss);
        }
        int batch = ts.dim(0);
        int m = batch == 0 ? 0 : Math.toIntExact(ts.numElements() / batch);
        List<Tensor> cols = new ArrayList<>(m);
        boolean connected = false;
        for (int j = 0; j < m; j++) {
            long[] hot = new long[batch];
            for (int b = 0; b < batch; b++) hot[b] = (long) b * m + j;
            Tensor col = compute(List.of(target), List.of(source), List.of(basis(target, ts, hot)), UnconnectedGradients.NONE).get(0);
            connected |= col != null;
            cols.add(col);
        }
        int[] outer = ts.dims();
        int[] inner = Arrays.copyOfRange(ss.dims(), 1, ss.rank());
        return assemble(cols, connected, unconnected, outer, inner, source, 1);
    }

    /** Stacks the per-element gradients along {@code axis} and reshapes to {@code outer + inner}. */
    private static Tensor assemble(List<Tensor> parts, boolean connected, UnconnectedGradients unconnected, int[] outer, int[] inner,
                                   Object source, int axis) {
        if (!connected && unconnected == UnconnectedGradients.NONE) return null;
        int[] shape = new int[outer.length + inner.length];
        System.arraycopy(outer, 0, shape, 0, outer.length);
        System.arraycopy(inner, 0, shape, outer.length, inner.length);
        DType dtype = source instanceof Variable v ? v.dtype() : ((Tensor) source).dtype();
        if (parts.isEmpty()) return Tf.zeros(shape, dtype);
        for (int i = 0; i < parts.size(); i++) if (parts.get(i) == null) parts.set(i, zerosFor(source));
        return Tf.reshape(Tf.stack(parts, axis), shape);
    }

    /** A tensor like target that is 1 at the given flat indices and 0 elsewhere: selects those elements. */
    private static Tensor basis(Tensor target, Shape shape, long[] flatIndices) {
        Buffer b = Buffer.allocate(target.dtype(), shape);
        for (long i : flatIndices) b.setDouble(i, 1);
        return Tf.fromBuffer(b);
    }

    private static Shape sourceShape(Object source) {
        if (source instanceof Variable v) return v.shape();
        if (source instanceof Tensor t) return t.shape();
        throw new TfException("GradientTape.jacobian: the source must be a Tensor or Variable, got " + source);
    }

    private static Shape knownShape(String what, String which, Shape s) {
        if (!s.isFullyKnown()) {
            throw new UnimplementedError(what + " needs the " + which + "'s shape to be fully known, got " + s
                    + "; trace with a concrete input signature");
        }
        return s;
    }
}
