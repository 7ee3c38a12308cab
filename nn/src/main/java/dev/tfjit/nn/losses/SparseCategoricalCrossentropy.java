package dev.tfjit.nn.losses;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.util.Map;

/** {@code keras.losses.SparseCategoricalCrossentropy}, from probabilities or (with {@code fromLogits}) from logits, as {@link Tf#sparseCategoricalCrossentropy} computes it. */
public class SparseCategoricalCrossentropy extends Loss {
    private final boolean fromLogits;

    public SparseCategoricalCrossentropy() { this(false); }

    public SparseCategoricalCrossentropy(boolean fromLogits) { this(fromLogits, Reduction.SUM_OVER_BATCH_SIZE); }

    public SparseCategoricalCrossentropy(boolean fromLogits, Reduction reduction) {
        super("sparse_categorical_crossentropy", reduction);
        this.fromLogits = fromLogits;
    }

    public boolean fromLogits() { return fromLogits; }

    @Override
    public Tensor call(Tensor yTrue, Tensor yPred) { return Tf.sparseCategoricalCrossentropy(yTrue, yPred, fromLogits); }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("from_logits", fromLogits);
        return c;
    }
}
