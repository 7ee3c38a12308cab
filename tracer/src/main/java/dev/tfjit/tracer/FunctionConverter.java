package dev.tfjit.tracer;

/**
 * AutoGraph as {@link Function#of} sees it. The tracer cannot depend on the autograph module
 * (autograph depends on the tracer), so that module provides this service
 * ({@code META-INF/services/dev.tfjit.tracer.FunctionConverter}); when it is on the class path,
 * {@code Function.of(lambda)} traces the lambda's converted code, as {@code tf.function} applies
 * AutoGraph by default. Without it, the lambda is traced as it is, and a Java {@code if} on a
 * symbolic tensor is an error there rather than a staged {@code cond}.
 */
public interface FunctionConverter {
    /**
     * The code to trace in place of {@code function} (one of {@link Traceable}'s interfaces), taking
     * the function's arguments as an array; or null when its code has nothing to convert and runs
     * as it is. Called once per function, on its first trace. Throws (naming the function and
     * why) when the code cannot be converted: tracing it unconverted could stage something other
     * than what the Java says.
     */
    java.util.function.Function<Object[], Object> convert(Object function);
}
