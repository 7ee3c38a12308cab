package dev.tfjit.cli;

import dev.tfjit.tracer.Tensor;

/** Functions the compile tests trace by class and method name. */
public final class Models {
    private Models() {}

    /** x * x + 1 */
    public static Tensor squarePlusOne(Tensor x) { return x.mul(x).add(1f); }

    /** x * y */
    static Tensor product(Tensor x, Tensor y) { return x.mul(y); }
}
