package dev.tfjit.runtime;

import dev.tfjit.ir.TensorType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Everything compiled native code depends on: the graph's canonical IR text (constants and
 * source locations included, since error messages name them), the concrete argument types,
 * the buffer alignment the code may assume, the target (triple, CPU name and features) and the
 * compiler's own version. Two keys with equal {@link #text()} may share one compiled kernel,
 * in this JVM or, through the disk cache, in any other.
 *
 * @param graphIr          {@code IrPrinter} output of the graph
 * @param argTypes         the concrete dtype and shape of each argument
 * @param alignment        the byte alignment every argument buffer is guaranteed to have
 * @param targetTriple     e.g. {@code x86_64-unknown-linux-gnu}
 * @param cpu              the CPU name code is tuned for, e.g. {@code znver3}
 * @param cpuFeatures      the feature string, e.g. {@code +avx2,+fma,...}
 * @param compilerVersion  the tfjit build and the code generator's version (LLVM's)
 */
public record KernelKey(String graphIr, List<TensorType> argTypes, long alignment, String targetTriple,
                        String cpu, String cpuFeatures, String compilerVersion) {
    public KernelKey {
        argTypes = List.copyOf(argTypes);
        for (TensorType t : argTypes) {
            if (!t.shape().isFullyKnown()) {
                throw new IllegalArgumentException("a kernel key needs concrete argument shapes, got " + t);
            }
        }
    }

    /** The canonical text of the key: one field per line, the IR last since it spans lines. */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append("compiler ").append(compilerVersion).append('\n');
        b.append("target ").append(targetTriple).append(' ').append(cpu).append(' ').append(cpuFeatures).append('\n');
        b.append("alignment ").append(alignment).append('\n');
        b.append("args");
        for (TensorType t : argTypes) b.append(' ').append(t);
        b.append('\n').append(graphIr);
        return b.toString();
    }

    /** SHA-256 of {@link #text()} in lower-case hex: the name of the kernel's disk entry. */
    public String digest() { return sha256Hex(text().getBytes(StandardCharsets.UTF_8)); }

    static String sha256Hex(byte[] bytes) { return HexFormat.of().formatHex(sha256(bytes)); }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) { // every Java platform must provide SHA-256
            throw new IllegalStateException(e);
        }
    }
}
