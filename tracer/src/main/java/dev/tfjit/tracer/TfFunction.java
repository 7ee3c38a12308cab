package dev.tfjit.tracer;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method to run as a {@link Function}, like {@code @tf.function}: traced once per input
 * signature, cached, and compiled; tensor-dependent {@code if}/{@code while}/{@code for} in it
 * become {@code cond}/{@code while} nodes (AutoGraph).
 *
 * <pre>{@code
 * public class Model {
 *   @TfFunction(inputSignature = "f32[?,784]", jitCompile = true)
 *   public Tensor predict(Tensor x) { ... }
 * }
 * }</pre>
 *
 * With tfjit's Java agent ({@code -javaagent:} the tfjit-autograph jar, which {@code ./tfjit run}
 * adds), every call of the method goes through its function. Without the agent,
 * {@code dev.tfjit.autograph.TfFunctions.compile(model)} gives the same functions. On an
 * instance method the receiver's state ({@code this}'s variables and layers) is captured by
 * reference, so each instance has its own function and trace cache.
 *
 * <p>It lives in the tracer module so that models (the nn module, user code) can be annotated
 * without depending on the bytecode rewriter; {@code dev.tfjit.autograph} reads it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface TfFunction {
    /**
     * One spec per tensor argument in the IR's spelling, {@code "f32[?,784]"} ({@code ?} is an
     * unknown dim): a single trace that accepts any size there, like {@code input_signature=}.
     * Empty: trace once per concrete signature.
     */
    String[] inputSignature() default {};

    /** Compile to native code with the LLVM backend, like {@code jit_compile=True}. */
    boolean jitCompile() default false;

    /** Generalize shapes after a retrace instead of tracing each new shape, like {@code reduce_retracing=True}. */
    boolean reduceRetracing() default false;

    /** Convert tensor-dependent control flow into {@code cond}/{@code while} nodes (AutoGraph); false traces the Java as it is. */
    boolean autograph() default true;

    /**
     * True: anything AutoGraph cannot convert (a heap write inside a staged loop, say) is an
     * error naming the line. False: such code runs once, at trace time, with a warning.
     */
    boolean strict() default true;
}
