package dev.tfjit.autograph;

import dev.tfjit.ir.TfException;
import dev.tfjit.ir.UnimplementedError;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One method converted by AutoGraph: its code, as a static method (an instance method's
 * receiver becomes the first parameter), copied into a hidden class next to its own class (a
 * nestmate, so it keeps access to private members) with every tensor test checked. The regions
 * that staging runs are compiled on first use, each into its own hidden class.
 */
final class ConvertedMethod {
    private final MethodSource source;
    private final MethodAnalysis analysis;
    private final MethodHandles.Lookup host;
    private final boolean strict;
    private final MethodHandle root;
    private final Map<Integer, JavaLoop> javaLoops = new ConcurrentHashMap<>();
    private final Map<Region, MethodHandle> regions = new ConcurrentHashMap<>();
    private final Map<Integer, MethodHandle> conditions = new ConcurrentHashMap<>();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private int counter;

    /**
     * {@code caller}: a lookup with full access to the method's class (its own
     * {@code MethodHandles.lookup()}), or null to obtain one with {@code privateLookupIn}.
     * {@code convert}: false copies the code unchanged ({@code @TfFunction(autograph = false)}).
     */
    ConvertedMethod(MethodSource source, MethodHandles.Lookup caller, boolean strict, boolean convert) {
        this.source = source;
        this.strict = strict;
        this.host = hostLookup(source.host(), caller);
        ClassLoader loader = loader();
        String owner = hiddenName();
        MethodNode code = asStatic(source);
        rejectSuperCalls(code);
        if (convert) CalledFunctions.redirect(code, loader);
        if (convert) TensorLoops.rewrite(owner, code, loader);
        this.analysis = new MethodAnalysis(owner, code, loader, source.hostClass().sourceFile);
        if (convert) findJavaLoops();
        RegionCompiler compiler = new RegionCompiler(this);
        MethodNode rootCode = convert ? compiler.root(code.name) : code;
        this.root = define(rootCode, compiler.constants());
    }

    MethodAnalysis analysis() { return analysis; }

    MethodSource source() { return source; }

    boolean strict() { return strict; }

    String displayName() { return source.displayName(); }

    /** "Model.java:42". */
    String where(int line) { return source.file() + ":" + line; }

    List<String> warnings() { return warnings; }

    void warn(String message) {
        if (warnings.contains(message)) return;
        warnings.add(message);
        System.err.println("tfjit: WARNING: " + message);
    }

    /** Calls the converted method (receiver first for an instance method). */
    Object invoke(Object... args) {
        try {
            return root.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new TfException(displayName() + " threw " + t, t);
        }
    }

    /** The converted method bound to leading arguments (a lambda's captured values). */
    MethodHandle handle() { return root; }

    /** Runs a region on a frame and returns the frame it leaves. */
    Object[] run(Region r, Object[] frame) {
        if (r.immediateExit()) {
            Object[] out = frame.clone();
            out[frameSize()] = r.exitIndex(r.entry());
            return out;
        }
        MethodHandle mh = regions.computeIfAbsent(r, k -> {
            RegionCompiler compiler = new RegionCompiler(this);
            return define(compiler.region(k, nextName()), compiler.constants());
        });
        return (Object[]) call(mh, frame);
    }

    /** A standard loop's condition evaluated on a frame. */
    dev.tfjit.tracer.Tensor condition(SiteSpec.Loop spec, Object[] frame) {
        MethodHandle mh = conditions.computeIfAbsent(spec.call(), k -> {
            RegionCompiler compiler = new RegionCompiler(this);
            return define(compiler.condition(spec.header(), spec.call(), nextName()), compiler.constants());
        });
        return (dev.tfjit.tracer.Tensor) call(mh, frame);
    }

    /** The locals of the analysed method; a frame has two more cells (exit, value). */
    int frameSize() { return analysis.method.maxLocals; }

    /** The Java loop whose header is instruction i, or null. */
    JavaLoop javaLoopAt(int i) { return javaLoops.get(i); }

    private Object call(MethodHandle mh, Object[] frame) {
        try {
            return mh.invoke(frame);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new TfException("autograph: the converted code of " + displayName() + " threw " + t, t);
        }
    }

    private synchronized String nextName() { return analysis.method.name + "$ag" + counter++; }

    /** Loop headers: targets of backward jumps. Counting their iterations while tracing finds loops that unroll into many ops. */
    private void findJavaLoops() {
        for (int i = 0; i < analysis.size(); i++) {
            if (analysis.insn(i) instanceof JumpInsnNode j && analysis.frameAt(i) != null) {
                int target = analysis.indexOf(j.label);
                if (target <= i && !javaLoops.containsKey(target)) {
                    javaLoops.put(target, new JavaLoop(this, analysis.lineOf(target)));
                }
            }
        }
    }

    private ClassLoader loader() {
        ClassLoader l = source.host().getClassLoader();
        return l != null ? l : ClassLoader.getSystemClassLoader();
    }

    private String hiddenName() { return source.hostClass().name + "$Autograph"; }

    /** Defines a hidden class holding {@code m}; {@code constants} (its sites and loops) are its class data. */
    private MethodHandle define(MethodNode m, Object[] constants) {
        ClassNode cn = new ClassNode();
        cn.version = Math.max(source.hostClass().version, Opcodes.V17);
        cn.access = Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC;
        cn.name = hiddenName();
        cn.superName = "java/lang/Object";
        cn.sourceFile = source.hostClass().sourceFile;
        cn.methods.add(m);
        byte[] bytes = write(cn, loader());
        try {
            MethodHandles.Lookup hidden = host.defineHiddenClassWithClassData(bytes, constants, true, MethodHandles.Lookup.ClassOption.NESTMATE);
            return hidden.findStatic(hidden.lookupClass(), m.name, MethodType.fromMethodDescriptorString(m.desc, loader()));
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new UnimplementedError("autograph: cannot define the converted code of " + displayName() + ": " + e);
        }
    }

    /**
     * A lookup with full privilege on the host, needed to define a nestmate: the caller's own, or
     * one derived from a lookup in the same module (the caller's, or tfjit's when the host is in
     * tfjit's class loader).
     */
    private static MethodHandles.Lookup hostLookup(Class<?> host, MethodHandles.Lookup caller) {
        if (caller != null && caller.lookupClass() == host && caller.hasFullPrivilegeAccess()) return caller;
        String problem = "";
        for (MethodHandles.Lookup from : new MethodHandles.Lookup[] {caller, MethodHandles.lookup()}) {
            if (from == null) continue;
            try {
                MethodHandles.Lookup l = MethodHandles.privateLookupIn(host, from);
                if (l.hasFullPrivilegeAccess()) return l;
                if (!host.getModule().isNamed() && (l.lookupModes() & MethodHandles.Lookup.PACKAGE) != 0) return throughPackage(host, l);
                problem = from.lookupClass().getName() + " is in another module or class loader";
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                problem = e.getMessage();
            }
        }
        throw new UnimplementedError("autograph: cannot reach the private members of " + host.getName() + " (" + problem
                + "); pass a lookup made in its module: Autograph.function(MethodHandles.lookup(), lambda) or"
                + " TfFunctions.compile(MethodHandles.lookup(), object), or run with the tfjit agent");
    }

    /**
     * Full privilege on a class of another class loader (whose unnamed module is not tfjit's):
     * across modules {@code privateLookupIn} grants package and private access but not module
     * access, which defining a nestmate needs. Package access can define a class in the host's
     * package; that class's own lookup is in the host's module, and from it {@code privateLookupIn}
     * has full privilege. The class is defined once per package and loader.
     */
    private static MethodHandles.Lookup throughPackage(Class<?> host, MethodHandles.Lookup packageAccess)
            throws ReflectiveOperationException {
        String pkg = host.getPackageName();
        String name = (pkg.isEmpty() ? "" : pkg + ".") + "TfjitAutographLookup";
        Class<?> key;
        synchronized (ConvertedMethod.class) {
            try {
                key = Class.forName(name, false, host.getClassLoader());
            } catch (ClassNotFoundException e) {
                key = packageAccess.defineClass(lookupClass(name.replace('.', '/')));
            }
        }
        MethodHandles.Lookup inModule = (MethodHandles.Lookup) key.getMethod("lookup").invoke(null);
        return MethodHandles.privateLookupIn(host, inModule);
    }

    /** {@code public final class NAME { public static Lookup lookup() { return MethodHandles.lookup(); } }} */
    private static byte[] lookupClass(String internalName) {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, internalName, null,
                "java/lang/Object", null);
        String lookup = "Ljava/lang/invoke/MethodHandles$Lookup;";
        org.objectweb.asm.MethodVisitor mv = w.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "lookup", "()" + lookup, null, null);
        mv.visitCode();
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup", "()" + lookup, false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        w.visitEnd();
        return w.toByteArray();
    }

    /** The method as a static method: an instance method's receiver becomes its first parameter. */
    private static MethodNode asStatic(MethodSource src) {
        MethodNode m = src.method();
        String desc = src.isStatic() ? m.desc : "(L" + src.hostClass().name + ";" + m.desc.substring(1);
        MethodNode copy = new MethodNode(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, m.name, desc, null, null);
        m.accept(copy);
        copy.access = Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC;
        copy.name = m.name.replace('<', '_').replace('>', '_');
        for (AbstractInsnNode in : copy.instructions) {
            // invokespecial may only name the current class; a nestmate calls the host's private methods with invokevirtual.
            if (in instanceof MethodInsnNode mi && mi.getOpcode() == Opcodes.INVOKESPECIAL && mi.owner.equals(src.hostClass().name)
                    && !mi.name.equals("<init>")) {
                mi.setOpcode(Opcodes.INVOKEVIRTUAL);
            }
        }
        copy.maxLocals = m.maxLocals;
        copy.maxStack = m.maxStack;
        return copy;
    }

    private void rejectSuperCalls(MethodNode m) {
        for (AbstractInsnNode in : m.instructions) {
            if (in instanceof MethodInsnNode mi && mi.getOpcode() == Opcodes.INVOKESPECIAL && !mi.name.equals("<init>")) {
                throw new UnimplementedError("autograph: " + displayName() + " calls super." + mi.name + ", which code converted into another"
                        + " class cannot do; call it from a helper method of " + source.host().getSimpleName());
            }
        }
    }

    private static byte[] write(ClassNode cn, ClassLoader loader) {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
            @Override protected ClassLoader getClassLoader() { return loader; }

            @Override protected String getCommonSuperClass(String a, String b) {
                if (a.equals(cn.name) || b.equals(cn.name)) return "java/lang/Object";
                return super.getCommonSuperClass(a, b);
            }
        };
        cn.accept(w);
        return w.toByteArray();
    }
}
