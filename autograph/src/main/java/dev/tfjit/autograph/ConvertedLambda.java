package dev.tfjit.autograph;

import dev.tfjit.ir.TfException;
import dev.tfjit.ir.UnimplementedError;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * A lambda whose code has been rewritten: its implementation method, copied as a static method
 * into a hidden class next to the original (a nestmate, so it may use the original's private
 * members) together with the regions extracted from it, bound to the lambda's captured values.
 */
final class ConvertedLambda {
    private final MethodHandle entry;
    private final List<Site> sites;
    private final String name;

    private ConvertedLambda(MethodHandle entry, List<Site> sites, String name) {
        this.entry = entry;
        this.sites = sites;
        this.name = name;
    }

    static ConvertedLambda of(Object serializableLambda) { return of(serializableLambda, null); }

    /**
     * {@code caller}: a lookup made in the lambda's class ({@code MethodHandles.lookup()}), needed
     * when that class lives in another module or class loader than tfjit (for example a program
     * run by the JDK's source launcher); null to obtain one with {@code privateLookupIn}.
     */
    static ConvertedLambda of(Object serializableLambda, MethodHandles.Lookup caller) {
        LambdaSource src = LambdaSource.of(serializableLambda);
        String owner = src.hostClass().name + "$Autograph";
        MethodNode impl = copyAsStatic(src);
        ClassLoader loader = src.host().getClassLoader();
        String display = displayName(src);
        MethodRewriter rewriter = new MethodRewriter(owner, loader, display);
        ClassNode cn = new ClassNode();
        cn.version = src.hostClass().version;
        cn.access = Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC;
        cn.name = owner;
        cn.superName = "java/lang/Object";
        cn.sourceFile = src.hostClass().sourceFile;
        cn.methods.addAll(rewriter.rewriteAll(impl));
        byte[] bytes = write(cn, loader);
        try {
            MethodHandles.Lookup host = caller != null && caller.lookupClass() == src.host()
                    ? caller : MethodHandles.privateLookupIn(src.host(), MethodHandles.lookup());
            MethodHandles.Lookup hidden = host.defineHiddenClass(bytes, true, MethodHandles.Lookup.ClassOption.NESTMATE);
            MethodHandle mh = hidden.findStatic(hidden.lookupClass(), impl.name, MethodType.fromMethodDescriptorString(impl.desc, loader));
            Object[] captured = src.capturedArgs();
            if (captured.length > 0) mh = MethodHandles.insertArguments(mh, 0, captured);
            return new ConvertedLambda(mh, List.copyOf(rewriter.sites()), display);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new UnimplementedError("autograph: cannot define the rewritten code of " + display + ": " + e
                    + (caller == null ? ". If the lambda's class is loaded by another class loader or module (e.g. a program run with"
                    + " the java source launcher), pass its lookup: Autograph.function(MethodHandles.lookup(), lambda)" : ""));
        }
    }

    /** Runs the rewritten code. */
    Object invoke(Object... args) {
        try {
            return entry.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new TfException(name + " threw " + t, t);
        }
    }

    List<Site> sites() { return sites; }

    String name() { return name; }

    /** The implementation method as a static method: an instance lambda's receiver becomes its first parameter. */
    private static MethodNode copyAsStatic(LambdaSource src) {
        MethodNode m = src.impl();
        MethodNode copy = new MethodNode(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC, m.name,
                src.isStatic() ? m.desc : prependReceiver(src.hostClass().name, m.desc), null, null);
        m.accept(copy);
        copy.access = Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC;
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

    private static String prependReceiver(String owner, String desc) { return "(L" + owner + ";" + desc.substring(1); }

    private static String displayName(LambdaSource src) {
        String file = src.hostClass().sourceFile;
        return src.host().getSimpleName() + "." + src.impl().name + (file == null ? "" : " (" + file + ")");
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
