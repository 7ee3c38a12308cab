package dev.tfjit.nn.losses;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.util.Map;

/** {@code keras.losses.BinaryCrossentropy}, from probabilities or (with {@code fromLogits}) from logits, as {@link Tf#binaryCrossentropy} computes it. */
public class BinaryCrossentropy extends Loss {
    private final boolean fromLogits;

    public BinaryCrossentropy() { this(false); }

    public BinaryCrossentropy(boolean fromLogits) { this(fromLogits, Reduction.SUM_OVER_BATCH_SIZE); }

    public BinaryCrossentropy(boolean fromLogits, Reduction reduction) {
        super("binary_crossentropy", reduction);
        this.fromLogits = fromLogits;
    }

    public boolean fromLogits() { return fromLogits; }

    @Override
    public Tensor call(Tensor yTrue, Tensor yPred) { return Tf.binaryCrossentropy(like(yTrue, yPred), yPred, fromLogits); }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("from_logits", fromLogits);
        return c;
    }
}
