package dev.tfjit.nn.losses;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.util.Map;

/** {@code keras.losses.CategoricalCrossentropy}, from probabilities or (with {@code fromLogits}) from logits, as {@link Tf#categoricalCrossentropy} computes it. */
public class CategoricalCrossentropy extends Loss {
    private final boolean fromLogits;

    public CategoricalCrossentropy() { this(false); }

    public CategoricalCrossentropy(boolean fromLogits) { this(fromLogits, Reduction.SUM_OVER_BATCH_SIZE); }

    public CategoricalCrossentropy(boolean fromLogits, Reduction reduction) {
        super("categorical_crossentropy", reduction);
        this.fromLogits = fromLogits;
    }

    public boolean fromLogits() { return fromLogits; }

    @Override
    public Tensor call(Tensor yTrue, Tensor yPred) { return Tf.categoricalCrossentropy(like(yTrue, yPred), yPred, fromLogits); }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("from_logits", fromLogits);
        return c;
    }
}
