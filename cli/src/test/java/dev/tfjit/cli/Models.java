package dev.tfjit.cli;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;

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

    /** where with one argument has no llvm-cpu lowering: its output shape is known only at run time. */
    public static Tensor positions(Tensor x) { return Tf.where(Tf.greater(x, Tf.zerosLike(x))); }

    static final Variable W = new Variable(Tf.constant(new float[][] {{1, -1}, {0.5f, 2}, {0, 3}}), "dense/kernel");
    static final Variable B = new Variable(Tf.constant(new float[] {0.25f, -0.5f}), "dense/bias");

    /** A dense layer reading two variables: x @ W + b. */
    static Tensor dense(Tensor x) { return x.matmul(W.read()).add(B.read()); }

    static final Variable STEPS = new Variable(Tf.constant(0f), "steps");

    /** Assigns a variable: counts its calls and returns x * steps. */
    static Tensor counted(Tensor x) {
        STEPS.assignAdd(Tf.constant(1f));
        return x.mul(STEPS.read());
    }

    /** A static Function, as a model class would hold one. */
    static final Function HALVE = Function.of((Tensor x) -> x.mul(0.5f)).named("halve");

}
