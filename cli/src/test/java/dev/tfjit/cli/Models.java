package dev.tfjit.cli;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.util.List;

/** Functions the compile tests trace by class and method name. */
public final class Models {
    private Models() {}

    /** x * x + 1 */
    public static Tensor squarePlusOne(Tensor x) { return x.mul(x).add(1f); }

    /** Calls back into Java: such a function cannot become an artifact. */
    public static Tensor withJavaCallback(Tensor x) {
        return Tf.javaFunction(a -> List.of(a.get(0)), List.of(x), List.of(DType.FLOAT32), List.of(x.shape())).get(0).add(1f);
    }

    /** x * y */
    static Tensor product(Tensor x, Tensor y) { return x.mul(y); }
}
