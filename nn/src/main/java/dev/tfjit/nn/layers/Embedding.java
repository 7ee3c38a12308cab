package dev.tfjit.nn.layers;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.nn.Initializer;
import dev.tfjit.nn.Initializers;
import dev.tfjit.nn.Layer;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;

import java.util.Map;

/** {@code keras.layers.Embedding}: integer ids to rows of a trainable {@code [inputDim, outputDim]} table. */
public class Embedding extends Layer {
    private final int inputDim;
    private final int outputDim;
    private Initializer initializer = Initializers.randomUniform(-0.05, 0.05, null);
    private Variable embeddings;

    public Embedding(int inputDim, int outputDim) {
        super();
        if (inputDim <= 0 || outputDim <= 0) {
            throw new InvalidArgumentError("Embedding: inputDim and outputDim must be positive, got " + inputDim + " and " + outputDim);
        }
        this.inputDim = inputDim;
        this.outputDim = outputDim;
    }

    public Embedding embeddingsInitializer(Initializer i) { initializer = i; return this; }

    public Variable embeddings() { return embeddings; }

    @Override
    public void build(Shape inputShape) { embeddings = addWeight("embeddings", new int[] {inputDim, outputDim}, initializer); }

    @Override
    protected Tensor call(Tensor ids) {
        if (ids.dtype().isFloating()) throw new InvalidArgumentError("Embedding " + name() + ": ids must be integers, got " + ids.dtype());
        return Tf.gather(embeddings.read(), ids);
    }

    @Override
    public Shape computeOutputShape(Shape s) {
        if (!s.hasRank()) return Shape.unknownRank();
        int[] d = java.util.Arrays.copyOf(s.dims(), s.rank() + 1);
        d[s.rank()] = outputDim;
        return Shape.of(d);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("input_dim", inputDim);
        c.put("output_dim", outputDim);
        return c;
    }
}
