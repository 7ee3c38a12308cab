package dev.tfjit.codegen.ptx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NVIDIA's PTX assembler, when installed (it comes with the CUDA toolkit, not with the driver):
 * the tests assemble every generated kernel with it, which checks the PTX as the driver's JIT
 * would without a GPU, and the ahead-of-time compiler uses it to add a cubin. {@code ptxas -v}
 * reports each kernel's registers, spills and shared memory.
 */
public final class Ptxas {
    /** Per binary: its {@code --version} text, or null when it does not run. */
    private static final Map<String, Optional<String>> VERSIONS = new ConcurrentHashMap<>();

    private Ptxas() {}

    /** What ptxas reports for one kernel. */
    public record KernelStats(int registers, int stackBytes, int spillStoreBytes, int spillLoadBytes, int sharedBytes) {}

    /** The kernels' statistics (by name, in the order ptxas reports them) and the whole log. */
    public record Report(String sm, Map<String, KernelStats> kernels, String log) {}

    /** The binary run: {@code -Dtfjit.ptxas=PATH}, or {@code ptxas} on the PATH. */
    public static String binary() { return System.getProperty("tfjit.ptxas", "ptxas"); }

    public static boolean isInstalled() { return version().isPresent(); }

    /** The release line of {@code ptxas --version} (e.g. {@code Cuda compilation tools, release 13.0, V13.0.88}), if it runs. */
    public static Optional<String> version() {
        return VERSIONS.computeIfAbsent(binary(), b -> {
            try {
                Process p = new ProcessBuilder(b, "--version").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) return Optional.empty();
                for (String line : out.split("\n")) if (line.contains("release")) return Optional.of(line.strip());
                return Optional.of(out.substring(out.lastIndexOf('\n') + 1));
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        });
    }

    /** Assembles {@code ptx} for {@code sm} and reports on it; a PTX that ptxas rejects is an error carrying its log. */
    public static Report check(String ptx, String sm) { return run(ptx, sm, null); }

    /** Assembles {@code ptx} for {@code sm} into the cubin {@code out}. */
    public static Report assemble(String ptx, String sm, Path out) { return run(ptx, sm, out); }

    /** The cubin of {@code ptx} for {@code sm}, in memory. */
    public static byte[] cubin(String ptx, String sm) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("tfjit-cubin");
            Path out = dir.resolve("kernels.cubin");
            run(ptx, sm, out);
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cubin ptxas wrote", e);
        } finally {
            if (dir != null) deleteTree(dir);
        }
    }

    private static Report run(String ptx, String sm, Path out) {
        NvptxTarget.checkTarget(sm);
        Path dir = null;
        try {
            dir = Files.createTempDirectory("tfjit-ptxas");
            Path in = dir.resolve("kernels.ptx");
            Files.writeString(in, ptx, StandardCharsets.UTF_8);
            Path target = out != null ? out : dir.resolve("kernels.cubin");
            Process p = new ProcessBuilder(binary(), "-arch=" + sm, "-v", "-o", target.toString(), in.toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("ptxas did not finish in 300 s");
            }
            if (p.exitValue() != 0) throw new IllegalStateException("ptxas -arch=" + sm + " rejected the PTX (exit " + p.exitValue() + "):\n" + log);
            return new Report(sm, parse(log), log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + binary() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running ptxas", e);
        } finally {
            if (dir != null) deleteTree(dir);
        }
    }

    private static final Pattern FUNCTION = Pattern.compile("Function properties for (\\S+)");
    private static final Pattern FRAME = Pattern.compile("(\\d+) bytes stack frame, (\\d+) bytes spill stores, (\\d+) bytes spill loads");
    private static final Pattern USED = Pattern.compile("Used (\\d+) registers(?:.*?(\\d+) bytes smem)?");

    /** Parses {@code ptxas -v}: per kernel, a properties line, a frame line and a "Used" line. */
    static Map<String, KernelStats> parse(String log) {
        Map<String, KernelStats> out = new LinkedHashMap<>();
        String current = null;
        int stack = 0, spillSt = 0, spillLd = 0;
        for (String line : log.split("\n")) {
            Matcher m = FUNCTION.matcher(line);
            if (m.find()) {
                current = m.group(1);
                continue;
            }
            m = FRAME.matcher(line);
            if (m.find()) {
                stack = Integer.parseInt(m.group(1));
                spillSt = Integer.parseInt(m.group(2));
                spillLd = Integer.parseInt(m.group(3));
                continue;
            }
            m = USED.matcher(line);
            if (m.find() && current != null) {
                int smem = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
                out.put(current, new KernelStats(Integer.parseInt(m.group(1)), stack, spillSt, spillLd, smem));
                current = null;
            }
        }
        return out;
    }

    private static void deleteTree(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
