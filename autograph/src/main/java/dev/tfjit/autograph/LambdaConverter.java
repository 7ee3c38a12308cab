package dev.tfjit.autograph;

import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.tracer.FunctionConverter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AutoGraph for {@code Function.of}, found by the tracer through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.tfjit.tracer.FunctionConverter}): a lambda's code is converted as
 * {@link Autograph#function} converts it, strictly (what cannot be staged is an error naming the
 * line). The conversion of a method is made once and shared by every lambda it implements (their
 * captured values are passed as arguments). Code with nothing AutoGraph acts on (no tensor test,
 * no for-each loop over a tensor or dataset, no Java loop to watch, no call of a
 * {@code @TfFunction} method) runs as it is, so that functions such as a plain train step pay no
 * conversion; so do method references into code that cannot be converted but has no tensor test.
 */
public final class LambdaConverter implements FunctionConverter {
    private static final ClassValue<Map<String, Optional<ConvertedMethod>>> CONVERTED = new ClassValue<>() {
        @Override protected Map<String, Optional<ConvertedMethod>> computeValue(Class<?> type) { return new ConcurrentHashMap<>(); }
    };

    public LambdaConverter() {}

    @Override
    public java.util.function.Function<Object[], Object> convert(Object function) {
        ConvertedMethod cm;
        LambdaSource src;
        try {
            src = LambdaSource.ofFunction(function);
            cm = CONVERTED.get(src.host()).computeIfAbsent(src.key(), k -> convert(src.code())).orElse(null);
        } catch (UnimplementedError e) {
            throw new UnimplementedError(e.getMessage() + ". Function.of(...).withAutograph(false) traces the function as it is,"
                    + " without AutoGraph");
        }
        if (cm == null) return null;
        Object[] captured = src.captured();
        return args -> cm.invoke(Autograph.concat(captured, args));
    }

    private enum Need { NONE, OPTIONAL, REQUIRED }

    /**
     * The converted method, or empty when it runs as it is. Code whose only conversion would be
     * watching its Java loops unroll or routing its {@code @TfFunction} calls runs the same
     * unconverted, so there a conversion that fails (a {@code super} call, say) is not an error.
     */
    private static Optional<ConvertedMethod> convert(MethodSource code) {
        Need need = need(code);
        if (need == Need.NONE) return Optional.empty();
        try {
            return Optional.of(new ConvertedMethod(code, null, true, true));
        } catch (UnimplementedError e) {
            if (need == Need.REQUIRED) throw e;
            return Optional.empty();
        }
    }

    /** REQUIRED: a tensor test or a for-each over a tensor or dataset; OPTIONAL: a loop, or a call of a {@code @TfFunction} method. */
    private static Need need(MethodSource src) {
        MethodNode m = src.method();
        boolean loops = false;
        for (AbstractInsnNode in : m.instructions) {
            if (in instanceof MethodInsnNode call && call.getOpcode() == Opcodes.INVOKEVIRTUAL
                    && (call.owner.equals(MethodAnalysis.TENSOR) && (call.name.equals("booleanValue") || call.name.equals("iterator"))
                    || call.owner.equals(TensorLoops.DATASET) && call.name.equals("iterator"))) {
                return Need.REQUIRED;
            }
            if (in instanceof JumpInsnNode j && m.instructions.indexOf(j.label) <= m.instructions.indexOf(j)) loops = true;
        }
        if (loops) return Need.OPTIONAL;
        ClassLoader loader = src.host().getClassLoader() != null ? src.host().getClassLoader() : ClassLoader.getSystemClassLoader();
        return CalledFunctions.callsAny(m, loader) ? Need.OPTIONAL : Need.NONE;
    }
}
