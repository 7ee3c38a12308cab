package dev.tfjit.nn;

import dev.tfjit.ir.InvalidArgumentError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saving and loading whole Sequential models, like {@code model.save}/{@code load_model}: the
 * architecture as {@code config.json} (each layer's class name and getConfig) and the weights
 * beside it. Loading rebuilds the layers through {@link CustomObjects}, builds them for the
 * saved input shape and loads the weights, so the loaded model predicts identically.
 */
public final class Models {
    private Models() {}

    public static void save(Sequential model, Path dir) {
        List<Layer> layers = model.layers();
        if (layers.isEmpty() || layers.get(0).builtInputShape() == null) {
            throw new InvalidArgumentError("save: build " + model.name() + " first (give it an input shape or call it once)");
        }
        int[] in = layers.get(0).builtInputShape().dims();
        List<Object> layerConfigs = new ArrayList<>();
        for (Layer l : layers) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("class_name", l.getClass().getSimpleName());
            entry.put("config", l.getConfig());
            layerConfigs.add(entry);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("name", model.name());
        config.put("input_shape", java.util.Arrays.copyOfRange(in, 1, in.length));
        config.put("layers", layerConfigs);
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("class_name", "Sequential");
        top.put("config", config);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), Json.write(top) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + model.name() + " to " + dir, e);
        }
        model.saveWeights(dir.resolve("weights"));
    }

    public static Sequential load(Path dir) { return load(dir, new CustomObjects()); }

    @SuppressWarnings("unchecked")
    public static Sequential load(Path dir, CustomObjects custom) {
        Object parsed;
        try {
            parsed = Json.read(Files.readString(dir.resolve("config.json")));
        } catch (IOException e) {
            throw new InvalidArgumentError("load_model: cannot read " + dir.resolve("config.json") + ": " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> top) || !"Sequential".equals(top.get("class_name"))) {
            throw new InvalidArgumentError("load_model: " + dir + " does not hold a saved Sequential model");
        }
        Map<String, Object> config = (Map<String, Object>) top.get("config");
        List<Layer> layers = new ArrayList<>();
        for (Object o : (List<Object>) config.get("layers")) {
            Map<String, Object> entry = (Map<String, Object>) o;
            layers.add(custom.makeLayer((String) entry.get("class_name"), (Map<String, Object>) entry.get("config")));
        }
        List<Object> shape = (List<Object>) config.get("input_shape");
        int[] in = new int[shape.size()];
        for (int i = 0; i < in.length; i++) in[i] = ((Number) shape.get(i)).intValue();
        Sequential model = new Sequential(in, layers.toArray(Layer[]::new));
        ensureAllBuilt(model, in);
        model.loadWeights(dir.resolve("weights"));
        return model;
    }

    /** Layers whose output shape is unknown without running are built by one call on zeros. */
    private static void ensureAllBuilt(Sequential model, int[] in) {
        for (Layer l : model.layers()) {
            if (!l.isBuilt()) {
                int[] dims = new int[in.length + 1];
                dims[0] = 1;
                for (int i = 0; i < in.length; i++) dims[i + 1] = in[i] < 0 ? 1 : in[i];
                model.apply(dev.tfjit.tracer.Tf.zeros(dims, dev.tfjit.ir.DType.FLOAT32));
                return;
            }
        }
    }

}
