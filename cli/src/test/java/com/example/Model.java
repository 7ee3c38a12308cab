package com.example;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.TfFunction;

/**
 * A user's model class, outside tfjit's packages (so source locations name its lines), for the
 * CLI's AutoGraph tests: a tensor while around a Java loop, and an instance @TfFunction.
 */
public class Model {
    private final float factor = 3f;

    /** Halves x, twice per round, until its entries sum to at most 1, plus the rounds. */
    public static Tensor halveUntilSmall(Tensor x) {
        Tensor y = x;
        Tensor rounds = Tf.constant(0f);
        while (Tf.reduceSum(Tf.abs(y)).greater(1f).booleanValue()) {
            for (int k = 0; k < 2; k++) y = y.mul(0.5f);
            rounds = rounds.add(1f);
        }
        return y.add(rounds);
    }

    /** An instance @TfFunction: compile and explain make the object with this class's constructor. */
    @TfFunction
    public Tensor scale(Tensor x) {
        Tensor y = x;
        if (Tf.reduceMax(y).greater(0f).booleanValue()) y = y.mul(factor);
        return y;
    }
}
