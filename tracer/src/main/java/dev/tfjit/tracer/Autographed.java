package dev.tfjit.tracer;

import java.util.ServiceLoader;

/**
 * What {@link Function#of} traces: the user's function converted by AutoGraph when the autograph
 * module is installed and {@code enabled}, else the function as it is. Converted on the first
 * trace, so that making a Function costs nothing and a function never traced is never converted.
 */
final class Autographed implements Traceable.Invoker {
    private final Object function;
    private final Traceable.Invoker plain;
    private final boolean enabled;
    private volatile Traceable.Invoker resolved;

    Autographed(Object function, Traceable.Invoker plain, boolean enabled) {
        this.function = function;
        this.plain = plain;
        this.enabled = enabled;
    }

    boolean enabled() { return enabled; }

    Autographed withEnabled(boolean on) { return on == enabled ? this : new Autographed(function, plain, on); }

    @Override
    public Object invoke(Object[] args) {
        Traceable.Invoker r = resolved;
        if (r == null) {
            synchronized (this) {
                if (resolved == null) resolved = resolve();
                r = resolved;
            }
        }
        return r.invoke(args);
    }

    private Traceable.Invoker resolve() {
        FunctionConverter converter = enabled ? Installed.CONVERTER : null;
        if (converter == null) return plain;
        java.util.function.Function<Object[], Object> converted = converter.convert(function);
        return converted == null ? plain : converted::apply;
    }

    /** The converter on the class path, or null: looked up once, with the tracer's class loader, as backends are. */
    private static final class Installed {
        static final FunctionConverter CONVERTER =
                ServiceLoader.load(FunctionConverter.class, FunctionConverter.class.getClassLoader()).findFirst().orElse(null);
    }
}
