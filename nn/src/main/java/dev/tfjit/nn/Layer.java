package dev.tfjit.nn;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Keras layer: state (weights made by {@link #addWeight}) plus a computation ({@link #call}).
 * The first {@link #apply} builds the layer from its input's shape, so a layer can be written
 * without knowing its input size. Layers held in fields (directly, in collections or arrays) are
 * tracked automatically, as Keras tracks attributes, so their weights and losses are this
 * layer's too. {@link #apply} works on eager and symbolic tensors alike, so a model runs the same
 * inside a traced train step.
 */
public abstract class Layer {
    private static final Map<String, Integer> NAME_COUNTS = new HashMap<>();
    private static final ThreadLocal<CallContext> CONTEXT = ThreadLocal.withInitial(CallContext::new);

    /** The training flag and nesting depth of the layer calls running on this thread. */
    private static final class CallContext {
        boolean training;
        int depth;
    }

    /** A weight and what it needs beyond its variable. */
    public record Weight(Variable variable, boolean trainable, Regularizer regularizer, Constraint constraint) {}

    private final String name;
    private boolean trainable = true;
    private boolean built;
    private Shape builtInputShape;
    private Shape lastOutputShape;
    private final List<Weight> weights = new ArrayList<>();
    private final List<Tensor> callLosses = new ArrayList<>();
    protected final DType dtype = DType.FLOAT32;

    protected Layer() { this(null); }

    /** A layer named {@code name}, or a unique name made from its class (dense, dense_1, ...) when null. */
    protected Layer(String name) { this.name = name != null ? name : uniqueName(snakeCase(getClass().getSimpleName())); }

    private static synchronized String uniqueName(String base) {
        int n = NAME_COUNTS.merge(base, 1, Integer::sum) - 1;
        return n == 0 ? base : base + "_" + n;
    }

    static String snakeCase(String className) {
        String s = className.isEmpty() ? "layer" : className;
        // Keras's to_snake_case: Conv2D -> conv2d, MaxPooling2D -> max_pooling2d, BatchNormalization -> batch_normalization.
        return s.replaceAll("(.)([A-Z][a-z0-9]+)", "$1_$2").replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
    }

    public String name() { return name; }

    public boolean isTrainable() { return trainable; }

    /** Freezing a layer moves all its weights (and its sublayers') to the non-trainable ones. */
    public void setTrainable(boolean on) { trainable = on; }

    public boolean isBuilt() { return built; }

    /** Creates the weights for inputs of this shape (batch dim first, possibly unknown). */
    public void build(Shape inputShape) {}

    /** The computation; read {@link #training()} for layers that behave differently in training. */
    protected abstract Tensor call(Tensor inputs);

    /** Whether the current call is a training call (set by {@link #apply(Tensor, boolean)}). */
    protected static boolean training() { return CONTEXT.get().training; }

    /** Calls the layer in inference mode (or in the mode of an enclosing call). */
    public final Tensor apply(Tensor inputs) { return apply(inputs, CONTEXT.get().depth > 0 && CONTEXT.get().training); }

    /**
     * Builds the layer on first use, then calls it. Layers called inside this call inherit the
     * training flag. The outermost call clears the losses that the previous call added.
     */
    public final Tensor apply(Tensor inputs, boolean training) {
        CallContext ctx = CONTEXT.get();
        boolean outerTraining = ctx.training;
        if (ctx.depth == 0) clearCallLosses();
        ctx.training = training;
        ctx.depth++;
        try {
            ensureBuilt(inputs.shape());
            Tensor out = call(inputs);
            lastOutputShape = out.shape();
            return out;
        } finally {
            ctx.depth--;
            ctx.training = outerTraining;
        }
    }

    /** Builds the layer for this input shape unless it already is. */
    public final void ensureBuilt(Shape inputShape) {
        if (built) return;
        build(inputShape);
        builtInputShape = inputShape;
        built = true;
    }

    /** The input shape the layer was built for (null before). */
    public Shape builtInputShape() { return builtInputShape; }

    /** The shape of the last output (null before the first call). */
    public Shape lastOutputShape() { return lastOutputShape; }

    /**
     * Connects this layer in a functional model: builds it for the inputs' shape and gives the
     * placeholder of its output. A layer that cannot tell its output shape is run once on
     * zeros (unknown dims taken as 1) to find it.
     */
    public final KerasTensor on(KerasTensor... inputs) {
        if (inputs.length == 0) throw new InvalidArgumentError(name + " needs an input");
        if (inputs.length > 1 && !(this instanceof MergeLayer)) {
            throw new InvalidArgumentError(name + " takes one input, got " + inputs.length + " (merge them with Concatenate or Add)");
        }
        ensureBuilt(inputs[0].shape());
        Shape out;
        if (this instanceof MergeLayer m) {
            List<Shape> shapes = new ArrayList<>();
            for (KerasTensor k : inputs) shapes.add(k.shape());
            out = m.computeOutputShape(shapes);
        } else {
            out = computeOutputShape(inputs[0].shape());
            if (out == null) out = probeOutputShape(inputs[0].shape());
        }
        return new KerasTensor.Node(this, List.of(inputs), out);
    }

    private Shape probeOutputShape(Shape in) {
        if (!in.hasRank()) return Shape.unknownRank();
        int[] dims = in.dims().clone();
        for (int i = 0; i < dims.length; i++) if (dims[i] < 0) dims[i] = 1;
        Shape s = apply(Tf.zeros(dims, dtype)).shape();
        return s.hasRank() && s.rank() > 0 && in.rank() > 0 && !in.isKnown(0) ? s.withDim(0, -1) : s;
    }

    /** The output shape for inputs of this shape, when a layer knows it without running; null otherwise. */
    public Shape computeOutputShape(Shape inputShape) { return null; }

    // ------------------------------------------------------------ weights

    /** Adds a trainable float32 weight initialized by {@code initializer}. */
    protected final Variable addWeight(String weightName, int[] shape, Initializer initializer) {
        return addWeight(weightName, shape, initializer, null, true);
    }

    /** Adds a weight; its regularizer's penalty joins {@link #losses()}. */
    protected final Variable addWeight(String weightName, int[] shape, Initializer initializer, Regularizer regularizer,
                                       boolean trainableWeight) {
        return addWeight(weightName, shape, initializer, regularizer, null, trainableWeight);
    }

    /** Adds a weight whose {@code constraint} (may be null) is applied after each optimizer update by {@link #applyConstraints}. */
    protected final Variable addWeight(String weightName, int[] shape, Initializer initializer, Regularizer regularizer,
                                       Constraint constraint, boolean trainableWeight) {
        for (int d : shape) {
            if (d < 0) throw new InvalidArgumentError(name + ": weight '" + weightName + "' needs a known shape, got " + Shape.of(shape)
                    + " (build the layer with a known last input dim)");
        }
        Tensor initial = initializer.apply(shape, dtype);
        Variable v = new Variable(initial, name + "/" + weightName, trainableWeight);
        weights.add(new Weight(v, trainableWeight, regularizer, constraint));
        return v;
    }

    /** This layer's own weights (not its sublayers'), in creation order. */
    protected final List<Weight> ownWeights() { return weights; }

    /** All weights, this layer's first, then each sublayer's. */
    public List<Variable> weights() {
        List<Variable> out = new ArrayList<>();
        for (Weight w : allWeights()) out.add(w.variable());
        return out;
    }

    public List<Variable> trainableWeights() {
        List<Variable> out = new ArrayList<>();
        if (!trainable) return out;
        for (Weight w : weights) if (w.trainable()) out.add(w.variable());
        for (Layer l : layers()) for (Variable v : l.trainableWeights()) if (!out.contains(v)) out.add(v);
        return out;
    }

    public List<Variable> nonTrainableWeights() {
        List<Variable> trainableOnes = trainableWeights();
        List<Variable> out = new ArrayList<>();
        for (Variable v : weights()) if (!trainableOnes.contains(v)) out.add(v);
        return out;
    }

    private List<Weight> allWeights() {
        Set<Weight> seen = new LinkedHashSet<>(weights);
        for (Layer l : layers()) seen.addAll(l.allWeights());
        return new ArrayList<>(seen);
    }

    /** Projects every constrained weight (this layer's and its sublayers'), as Keras does after an update. */
    public void applyConstraints() {
        for (Weight w : allWeights()) if (w.constraint() != null) w.variable().assign(w.constraint().apply(w.variable().read()));
    }

    /** The number of scalars in all weights. */
    public long countParams() {
        long n = 0;
        for (Variable v : weights()) n += v.shape().numElements();
        return n;
    }

    // ------------------------------------------------------------ sublayers

    /**
     * The layers this one holds in its fields (or in collections or arrays in its fields), found
     * by reflection as Keras finds them among attributes; subclasses may also override this.
     */
    public List<Layer> layers() {
        Set<Layer> found = new LinkedHashSet<>();
        for (Class<?> c = getClass(); c != null && c != Layer.class; c = c.getSuperclass()) {
            List<Layer> here = new ArrayList<>();
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) continue;
                Object value;
                try {
                    f.setAccessible(true);
                    value = f.get(this);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    continue; // a field we may not read cannot hold a layer we must track
                }
                collect(value, here);
            }
            found.addAll(here);
        }
        found.remove(this);
        return new ArrayList<>(found);
    }

    private static void collect(Object value, List<Layer> into) {
        switch (value) {
            case Layer l -> into.add(l);
            case Collection<?> c -> { for (Object o : c) collect(o, into); }
            case Layer[] a -> { for (Layer l : a) collect(l, into); }
            case null, default -> {}
        }
    }

    // ------------------------------------------------------------ losses

    /** Adds a loss computed from this call's tensors (an activity penalty), like Keras's {@code add_loss}. */
    protected final void addLoss(Tensor loss) { callLosses.add(loss); }

    /** The regularization penalties of the weights plus the losses added during the last outermost call. */
    public List<Tensor> losses() {
        List<Tensor> out = new ArrayList<>(callLosses);
        for (Weight w : weights) if (w.regularizer() != null) out.add(w.regularizer().apply(w.variable().read()));
        for (Layer l : layers()) out.addAll(l.losses());
        return out;
    }

    private void clearCallLosses() {
        callLosses.clear();
        for (Layer l : layers()) l.clearCallLosses();
    }

    // ------------------------------------------------------------ config

    /** The layer's constructor arguments, like Keras's {@code get_config}; subclasses add theirs. */
    public Map<String, Object> getConfig() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("trainable", trainable);
        config.put("dtype", dtype.toString());
        return config;
    }

    /** Sums tensors (none sums to a float32 zero). */
    static Tensor sum(List<Tensor> xs) {
        if (xs.isEmpty()) return Tf.constant(0f);
        return xs.size() == 1 ? xs.get(0) : Tf.addN(xs.toArray(Tensor[]::new));
    }

    @Override
    public String toString() { return getClass().getSimpleName() + "(" + name + ")"; }
}
