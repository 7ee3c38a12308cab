package dev.tfjit.autograph;

import dev.tfjit.ir.UnimplementedError;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

import java.io.IOException;
import java.io.InputStream;

/**
 * A method's bytecode as its class was compiled: read from the class loader (which also serves
 * the classes of the JDK's source launcher), so a class an agent rewrote still yields the
 * original code.
 */
record MethodSource(Class<?> host, ClassNode hostClass, MethodNode method, boolean isStatic) {

    static MethodSource of(Class<?> host, String name, String desc) {
        ClassNode cn = read(host);
        for (MethodNode m : cn.methods) {
            if (m.name.equals(name) && m.desc.equals(desc)) {
                return new MethodSource(host, cn, m, (m.access & org.objectweb.asm.Opcodes.ACC_STATIC) != 0);
            }
        }
        throw new UnimplementedError("autograph: " + host.getName() + "." + name + desc + " is not in the bytes of " + host.getName());
    }

    static ClassNode read(Class<?> host) {
        ClassLoader loader = host.getClassLoader() != null ? host.getClassLoader() : ClassLoader.getSystemClassLoader();
        String resource = host.getName().replace('.', '/') + ".class";
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) throw new UnimplementedError("autograph: the class loader of " + host.getName() + " does not serve its class bytes");
            ClassNode cn = new ClassNode();
            // Frames are recomputed when converted code is written, so the old ones are dropped.
            new ClassReader(in.readAllBytes()).accept(cn, ClassReader.SKIP_FRAMES);
            return cn;
        } catch (IOException e) {
            throw new UnimplementedError("autograph: cannot read the class bytes of " + host.getName() + ": " + e.getMessage());
        }
    }

    /** "Model.predict", or "lambda in Model.main" for a lambda's synthetic method. */
    String displayName() {
        String name = method.name;
        if (name.startsWith("lambda$")) {
            String[] parts = name.split("\\$");
            return "lambda in " + host.getSimpleName() + "." + (parts.length > 1 ? parts[1] : name);
        }
        return host.getSimpleName() + "." + name;
    }

    String file() { return hostClass.sourceFile == null ? host.getSimpleName() + ".java" : hostClass.sourceFile; }
}
