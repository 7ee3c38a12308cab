package dev.tfjit.nn;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.nn.layers.BatchNormalization;
import dev.tfjit.nn.layers.Dense;
import dev.tfjit.nn.layers.Dropout;
import dev.tfjit.nn.layers.Flatten;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Saving a model's config and weights, and loading it back with custom objects (seed 003). */
class ModelsSaveLoadTest {
    private static final Activation MY_SOFTPLUS = Activations.named("my_softplus", z -> Tf.log(Tf.exp(z).add(1.0)));

    private static Sequential model() {
        return new Sequential(new int[] {2, 3}, new Flatten(), new Dense(8, "relu"), new BatchNormalization(),
                new Dropout(0.2), new LayersTest.MyDense(4, "tanh"), new Dense(2, MY_SOFTPLUS));
    }

    private static CustomObjects custom() {
        return new CustomObjects()
                .layer("MyDense", c -> new LayersTest.MyDense(CustomObjects.intOf(c, "units"), (String) c.get("activation")))
                .activation("my_softplus", MY_SOFTPLUS);
    }

    @Test
    void aLoadedModelPredictsIdentically(@TempDir Path dir) throws Exception {
        Sequential original = model();
        Tensor x = Tf.random.normal(5, 2, 3);
        original.apply(x, true); // moves the batch-norm statistics away from their initial values
        Models.save(original, dir);
        String json = Files.readString(dir.resolve("config.json"));
        assertTrue(json.contains("\"class_name\": \"MyDense\"") && json.contains("\"activation\": \"my_softplus\""), json);

        Sequential loaded = Models.load(dir, custom());
        assertEquals(original.countParams(), loaded.countParams());
        assertArrayEquals(original.predict(x, 5).toFloatArray(), loaded.predict(x, 5).toFloatArray());
        assertEquals(original.layers().get(3).getConfig().get("rate"), loaded.layers().get(3).getConfig().get("rate"));
    }

    @Test
    void aCustomLayerThatIsNotRegisteredIsAClearError(@TempDir Path dir) {
        Models.save(model(), dir);
        var e = assertThrows(InvalidArgumentError.class, () -> Models.load(dir));
        assertTrue(e.getMessage().contains("Unknown layer: 'MyDense'"), e.getMessage());
    }

    @Test
    void jsonRoundTripsConfigs() {
        Map<String, Object> config = Map.of("a", List.of(1L, 2.5, "x\"y", true), "b", Map.of());
        assertEquals(config, Json.read(Json.write(config)));
        assertThrows(InvalidArgumentError.class, () -> Json.read("{\"a\": }"));
    }
}
