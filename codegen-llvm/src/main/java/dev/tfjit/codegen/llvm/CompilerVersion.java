package dev.tfjit.codegen.llvm;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The compiler part of a kernel cache key: tfjit's version, a fingerprint of this backend's
 * own classes and LLVM's version. The fingerprint matters while tfjit is developed: a changed
 * code generator with an unchanged version number must not reuse objects the old one made.
 * It is computed once per JVM (a few ms: the classes of this one module are hashed).
 */
final class CompilerVersion {
    private static volatile String value;

    private CompilerVersion() {}

    static String get() {
        String v = value;
        if (v == null) value = v = "tfjit " + tfjitVersion() + " codegen " + fingerprint() + " llvm " + NativeJit.llvmVersion();
        return v;
    }

    private static String tfjitVersion() {
        String v = CompilerVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * Hashes the {@code .class} files under {@code dir} in name order. Plain loops, no streams or
     * lambdas: this runs in a fresh JVM before its first kernel, where bootstrapping those costs
     * tens of milliseconds.
     */
    private static void hashClasses(MessageDigest md, File dir, String prefix) throws IOException {
        String[] names = dir.list();
        if (names == null) return;
        Arrays.sort(names);
        for (String name : names) {
            File f = new File(dir, name);
            if (f.isDirectory()) {
                hashClasses(md, f, prefix + name + "/");
            } else if (name.endsWith(".class")) {
                md.update((prefix + name).getBytes(StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(f.toPath()));
            }
        }
    }

    /** SHA-256 (first 16 hex digits) of the jar or class directory this class was loaded from. */
    private static String fingerprint() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            CodeSource src = CompilerVersion.class.getProtectionDomain().getCodeSource();
            if (src == null || src.getLocation() == null) return "unknown";
            Path root = Path.of(src.getLocation().toURI());
            if (Files.isDirectory(root)) {
                hashClasses(md, root.toFile(), "");
            } else {
                md.update(Files.readAllBytes(root));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fingerprint the code generator's classes", e);
        } catch (URISyntaxException | NoSuchAlgorithmException | IllegalArgumentException e) {
            return "unknown"; // e.g. a custom class loader: the version alone keys the cache then
        }
    }
}
