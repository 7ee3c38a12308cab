package dev.tfjit.tests.goldens;

import dev.tfjit.tracer.Tensor;

import java.util.List;

/** Runs one TF Python API function (by its manifest name) through tfjit's {@code Tf} facade. */
@FunctionalInterface
interface GoldenOp {
    /** Returns the op's outputs in TensorFlow's order (one element for single-output ops). */
    List<Tensor> run(List<Tensor> inputs, Attributes attrs);

    static GoldenOp single(java.util.function.BiFunction<List<Tensor>, Attributes, Tensor> f) {
        return (in, a) -> List.of(f.apply(in, a));
    }
}
