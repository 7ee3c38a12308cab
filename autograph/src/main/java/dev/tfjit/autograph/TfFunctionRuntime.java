package dev.tfjit.autograph;

import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.TfFunction;
import org.objectweb.asm.Type;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a call of a {@code @TfFunction} method goes: to the method's {@link Function} (one per
 * receiver for an instance method, so {@code this}'s state is captured by reference), traced per
 * signature and cached. The Java agent rewrites each annotated method's body into a call of
 * {@link #call}; {@link TfFunctions#compile} hands out the same functions without the agent.
 */
public final class TfFunctionRuntime {
    private TfFunctionRuntime() {}

    private static final ClassValue<Map<String, Entry>> ENTRIES = new ClassValue<>() {
        @Override protected Map<String, Entry> computeValue(Class<?> type) { return new ConcurrentHashMap<>(); }
    };

    /**
     * The body of an annotated method under the agent: {@code lookup} is the method's class's
     * own lookup, {@code receiver} null for a static method.
     */
    public static Object call(MethodHandles.Lookup lookup, Object receiver, String name, String desc, Object[] args) {
        Entry e = entry(lookup.lookupClass(), lookup, name, desc);
        return e.adapt(e.function(receiver).callAll(args));
    }

    /**
     * The call site for a call of a {@code @TfFunction} method in converted code (see
     * {@link CalledFunctions}): {@code type} takes the receiver first unless the method is static.
     */
    public static CallSite bootstrap(MethodHandles.Lookup caller, String name, MethodType type, Class<?> owner, String desc)
            throws ReflectiveOperationException {
        boolean isStatic = type.parameterCount() == Type.getArgumentTypes(desc).length;
        MethodHandle dispatch = MethodHandles.lookup().findStatic(TfFunctionRuntime.class, "dispatch",
                MethodType.methodType(Object.class, Class.class, String.class, String.class, Object.class, Object[].class));
        MethodHandle mh = MethodHandles.insertArguments(dispatch, 0, owner, name, desc);
        if (isStatic) mh = MethodHandles.insertArguments(mh, 0, (Object) null);
        else mh = mh.asType(mh.type().changeParameterType(0, Object.class));
        mh = mh.asCollector(Object[].class, Type.getArgumentTypes(desc).length);
        return new ConstantCallSite(mh.asType(type));
    }

    /** A call of an annotated method from converted code, dispatched on the receiver's class like invokevirtual. */
    private static Object dispatch(Class<?> owner, String name, String desc, Object receiver, Object[] args) {
        Class<?> cls = receiver == null ? owner : receiver.getClass();
        for (Class<?> k = cls; k != null; k = k.getSuperclass()) {
            for (Method m : k.getDeclaredMethods()) {
                if (m.getName().equals(name) && Type.getMethodDescriptor(m).equals(desc)) {
                    if (!m.isAnnotationPresent(TfFunction.class)) return invokePlain(m, receiver, args);
                    Entry e = entry(k, null, name, desc);
                    return e.adapt(e.function(receiver).callAll(args));
                }
            }
        }
        throw new UnimplementedError("tfjit: " + cls.getName() + "." + name + desc + " not found");
    }

    private static Object invokePlain(Method m, Object receiver, Object[] args) {
        try {
            m.setAccessible(true);
            return m.invoke(receiver, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw new UnimplementedError("tfjit: " + m.getName() + " threw " + e.getCause());
        } catch (IllegalAccessException | RuntimeException e) {
            throw new UnimplementedError("tfjit: cannot call " + m + ": " + e);
        }
    }

    static Entry entry(Class<?> owner, MethodHandles.Lookup lookup, String name, String desc) {
        Entry e = ENTRIES.get(owner).computeIfAbsent(name + desc, k -> new Entry(owner, find(owner, name, desc)));
        if (lookup != null) e.offer(lookup);
        return e;
    }

    static Method find(Class<?> owner, String name, String desc) {
        for (Method m : owner.getDeclaredMethods()) {
            if (m.getName().equals(name) && Type.getMethodDescriptor(m).equals(desc)) return m;
        }
        throw new UnimplementedError("tfjit: " + owner.getName() + "." + name + desc + " not found");
    }

    /** One annotated method: its converted code (shared by all receivers) and its functions. */
    static final class Entry {
        private final Method method;
        private final TfFunction options;
        private volatile MethodHandles.Lookup lookup; // the best lookup seen so far; conversion needs full privilege on the class
        private volatile ConvertedMethod converted;
        private volatile Function staticFunction;
        private final IdentityWeakMap<Function> perReceiver = new IdentityWeakMap<>();

        Entry(Class<?> owner, Method method) {
            this.method = method;
            TfFunction ann = method.getAnnotation(TfFunction.class);
            this.options = ann != null ? ann : Defaults.OPTIONS;
            Class<?> r = method.getReturnType();
            if (r.isPrimitive() && r != void.class) {
                throw new UnimplementedError("tfjit: @TfFunction " + owner.getSimpleName() + "." + method.getName() + " returns " + r
                        + "; a function returns a Tensor, a List or array of tensors, or nothing");
            }
            if (options.inputSignature().length > 0 && options.inputSignature().length != method.getParameterCount()) {
                throw new UnimplementedError("tfjit: @TfFunction " + owner.getSimpleName() + "." + method.getName() + " has "
                        + method.getParameterCount() + " parameters but its inputSignature gives " + options.inputSignature().length + " specs");
            }
        }

        Method method() { return method; }

        /** The annotation's {@code autograph} (true for a method compiled by name without one). */
        boolean autograph() { return options.autograph(); }

        /** A lookup from the method's class (the agent's) or its module (the caller's); kept until the code is converted. */
        void offer(MethodHandles.Lookup l) {
            MethodHandles.Lookup have = lookup;
            if (have == null || (!have.hasFullPrivilegeAccess() && l.hasFullPrivilegeAccess())
                    || (l.lookupClass() == method.getDeclaringClass() && have.lookupClass() != l.lookupClass())) {
                lookup = l;
            }
        }

        ConvertedMethod converted() {
            ConvertedMethod c = converted;
            if (c == null) {
                synchronized (this) {
                    if (converted == null) {
                        converted = new ConvertedMethod(MethodSource.of(method.getDeclaringClass(), method.getName(),
                                Type.getMethodDescriptor(method)), lookup, options.strict(), options.autograph());
                    }
                    c = converted;
                }
            }
            return c;
        }

        Function function(Object receiver) {
            boolean isStatic = Modifier.isStatic(method.getModifiers());
            if (isStatic) {
                Function f = staticFunction;
                if (f == null) {
                    synchronized (this) {
                        if (staticFunction == null) staticFunction = build(null);
                        f = staticFunction;
                    }
                }
                return f;
            }
            if (receiver == null) {
                throw new UnimplementedError("tfjit: " + method.getName() + " is an instance method; compile it with its object");
            }
            return perReceiver.computeIfAbsent(receiver, this::build);
        }

        private Function build(Object receiver) {
            String name = method.getDeclaringClass().getSimpleName() + "." + method.getName();
            // Converted on the first trace, so that compiling an object does not convert methods never called.
            Function f = Function.ofArguments(name, method, args -> receiver == null ? converted().invoke(args)
                    : converted().invoke(Autograph.concat(new Object[] {receiver}, args)));
            String[] sig = options.inputSignature();
            if (sig.length > 0) {
                TensorSpec[] specs = new TensorSpec[sig.length];
                for (int i = 0; i < sig.length; i++) specs[i] = TensorSpec.parse(sig[i]);
                f = f.withInputSignature(specs);
            }
            if (options.reduceRetracing()) f = f.withReduceRetracing(true);
            if (options.jitCompile()) f = f.withJitCompile(true);
            return f;
        }

        /** The function's results as the method's declared return type. */
        Object adapt(List<Tensor> out) {
            Class<?> r = method.getReturnType();
            if (r == void.class) return null;
            if (r == Tensor.class) {
                if (out.size() != 1) {
                    throw new UnimplementedError("tfjit: " + method.getName() + " is declared to return a Tensor but returned " + out.size());
                }
                return out.get(0);
            }
            if (r == Tensor[].class) return out.toArray(Tensor[]::new);
            if (r.isAssignableFrom(List.class)) return out;
            if (r == Object.class) return out.size() == 1 ? out.get(0) : out;
            throw new UnimplementedError("tfjit: @TfFunction " + method.getName() + " returns " + r.getSimpleName()
                    + "; a function returns a Tensor, a List or array of tensors, or nothing");
        }
    }

    /** The attribute defaults, for methods compiled by name without the annotation. */
    private static final class Defaults {
        static final TfFunction OPTIONS;

        static {
            try {
                OPTIONS = Defaults.class.getDeclaredMethod("annotated").getAnnotation(TfFunction.class);
            } catch (NoSuchMethodException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @TfFunction
        private static void annotated() {}
    }

    /** Values per object identity, dropped when the object is collected. */
    static final class IdentityWeakMap<V> {
        private final Map<Key, V> map = new ConcurrentHashMap<>();
        private final ReferenceQueue<Object> queue = new ReferenceQueue<>();

        private static final class Key extends WeakReference<Object> {
            final int hash;

            Key(Object o, ReferenceQueue<Object> q) {
                super(o, q);
                hash = System.identityHashCode(o);
            }

            @Override public int hashCode() { return hash; }

            @Override public boolean equals(Object other) {
                return this == other || other instanceof Key k && k.hash == hash && k.get() != null && k.get() == get();
            }
        }

        V computeIfAbsent(Object o, java.util.function.Function<Object, V> make) {
            for (Object k; (k = queue.poll()) != null; ) map.remove(k);
            return map.computeIfAbsent(new Key(o, queue), k -> make.apply(o));
        }
    }
}
