package dev.tfjit.nn;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.tracer.Tf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Activations by Keras name, like {@code keras.activations.get}: a layer may take a name, a
 * function, or null (linear). {@link #serialize} gives the name back for {@code getConfig}.
 */
public final class Activations {
    private static final Map<String, Activation> BY_NAME = new LinkedHashMap<>();

    static {
        register("linear", x -> x);
        register("relu", Tf::relu);
        register("relu6", Tf::relu6);
        register("sigmoid", Tf::sigmoid);
        register("tanh", Tf::tanh);
        register("softmax", Tf::softmax);
        register("log_softmax", Tf::logSoftmax);
        register("softplus", Tf::softplus);
        register("softsign", Tf::softsign);
        register("elu", Tf::elu);
        register("selu", Tf::selu);
        register("gelu", Tf::gelu);
        register("swish", Tf::silu);
        register("silu", Tf::silu);
        register("leaky_relu", Tf::leakyRelu);
        register("exponential", Tf::exp);
    }

    private Activations() {}

    private static void register(String name, Activation a) { BY_NAME.put(name, a); }

    /** The activation with this Keras name; null or "linear" is the identity. */
    public static Activation get(String name) {
        if (name == null) return BY_NAME.get("linear");
        Activation a = BY_NAME.get(name);
        if (a == null) throw new InvalidArgumentError("Unknown activation function: '" + name + "'. Known: " + BY_NAME.keySet());
        return a;
    }

    /** A custom activation that carries its name into configs, so a saved model can find it again in {@link CustomObjects}. */
    public record Named(String name, Activation fn) implements Activation {
        @Override
        public dev.tfjit.tracer.Tensor apply(dev.tfjit.tracer.Tensor x) { return fn.apply(x); }
    }

    public static Activation named(String name, Activation fn) { return new Named(name, fn); }

    /** The name of a built-in or {@link Named} activation, or the function's class name for another custom one. */
    public static String serialize(Activation a) {
        if (a instanceof Named n) return n.name();
        for (var e : BY_NAME.entrySet()) if (e.getValue() == a) return e.getKey();
        return a.getClass().getSimpleName();
    }
}
