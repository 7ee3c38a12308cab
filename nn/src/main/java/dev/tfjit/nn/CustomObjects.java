package dev.tfjit.nn;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.nn.layers.AveragePooling2D;
import dev.tfjit.nn.layers.BatchNormalization;
import dev.tfjit.nn.layers.Conv2D;
import dev.tfjit.nn.layers.Dense;
import dev.tfjit.nn.layers.Dropout;
import dev.tfjit.nn.layers.Embedding;
import dev.tfjit.nn.layers.Flatten;
import dev.tfjit.nn.layers.LayerNormalization;
import dev.tfjit.nn.layers.MaxPooling2D;
import dev.tfjit.nn.layers.Reshape;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * How a saved model's config turns back into objects, like Keras's {@code custom_objects}: the
 * built-in layers are known; custom layers and activations are registered by the name their
 * config uses ({@code getClass().getSimpleName()} for layers).
 */
public final class CustomObjects {
    private final Map<String, Function<Map<String, Object>, Layer>> layers = new HashMap<>();
    private final Map<String, Activation> activations = new HashMap<>();

    public CustomObjects() {
        layer("Dense", c -> new Dense(intOf(c, "units"), activation((String) c.get("activation")), null)
                .useBias(!Boolean.FALSE.equals(c.get("use_bias"))));
        layer("Flatten", c -> new Flatten());
        layer("Dropout", c -> new Dropout(doubleOf(c, "rate"), c.get("seed") == null ? null : intOf(c, "seed")));
        layer("BatchNormalization", c -> new BatchNormalization(doubleOf(c, "momentum"), doubleOf(c, "epsilon")));
        layer("LayerNormalization", c -> new LayerNormalization(doubleOf(c, "epsilon")));
        layer("Embedding", c -> new Embedding(intOf(c, "input_dim"), intOf(c, "output_dim")));
        layer("Conv2D", c -> new Conv2D(intOf(c, "filters"), intsOf(c, "kernel_size"), activation((String) c.get("activation")), null)
                .strides(intsOf(c, "strides")).padding((String) c.get("padding")).dilationRate(intsOf(c, "dilation_rate"))
                .useBias(!Boolean.FALSE.equals(c.get("use_bias"))));
        layer("MaxPooling2D", c -> new MaxPooling2D(intsOf(c, "pool_size"), intsOf(c, "strides"), (String) c.get("padding"), null));
        layer("AveragePooling2D", c -> new AveragePooling2D(intsOf(c, "pool_size"), intsOf(c, "strides"), (String) c.get("padding"), null));
        layer("Reshape", c -> new Reshape(intsOf(c, "target_shape")));
    }

    /** Registers (or replaces) how a layer class is made from its config. */
    public CustomObjects layer(String className, Function<Map<String, Object>, Layer> fromConfig) {
        layers.put(className, fromConfig);
        return this;
    }

    /** Registers a custom activation under the name its layers' configs give it. */
    public CustomObjects activation(String name, Activation fn) {
        activations.put(name, fn);
        return this;
    }

    /** The activation with this name: a registered custom one, else a built-in. */
    public Activation activation(String name) {
        Activation custom = activations.get(name);
        return custom != null ? custom : Activations.get(name);
    }

    Layer makeLayer(String className, Map<String, Object> config) {
        Function<Map<String, Object>, Layer> f = layers.get(className);
        if (f == null) {
            throw new InvalidArgumentError("Unknown layer: '" + className + "'. Please ensure you are using a CustomObjects that registers it "
                    + "(custom layers must be registered with CustomObjects.layer)");
        }
        return f.apply(config);
    }

    public static int intOf(Map<String, Object> c, String key) { return ((Number) required(c, key)).intValue(); }

    /** A list of ints from a config (a Java int[] before saving, a JSON list after loading). */
    public static int[] intsOf(Map<String, Object> c, String key) {
        return switch (required(c, key)) {
            case int[] a -> a.clone();
            case java.util.List<?> l -> l.stream().mapToInt(v -> ((Number) v).intValue()).toArray();
            case Object o -> throw new InvalidArgumentError("layer config '" + key + "' should be a list of ints, got " + o);
        };
    }

    public static double doubleOf(Map<String, Object> c, String key) { return ((Number) required(c, key)).doubleValue(); }

    private static Object required(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (v == null) throw new InvalidArgumentError("layer config " + c + " lacks '" + key + "'");
        return v;
    }
}
