package dev.tfjit.benchmarks.gpu;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.runtime.aot.AotMetadata;
import dev.tfjit.runtime.aot.GpuAotFunction;
import dev.tfjit.runtime.aot.GpuAotMetadata;

import java.io.IOException;
import java.io.Reader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The GPU differential check for a machine with a GPU and a JDK but no LLVM: runs each case
 * directory that {@code GpuCaseArtifacts} wrote (a GPU artifact, inputs, the interpreter's
 * results or error) with only the ir and runtime jars, and compares, as the {@code gpu}-tagged
 * tests do: bits for exact cases, a relative tolerance for sums, the same message for errors.
 * Every case is read and checksummed before the GPU is opened. Exits 1 when a case fails.
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp tfjit-ir.jar:tfjit-runtime.jar:GPU_TOOLS dev.tfjit.benchmarks.gpu.GpuCheck CASES_DIR
 * </pre>
 */
public final class GpuCheck {
    private GpuCheck() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: GpuCheck CASES_DIR");
            System.exit(2);
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(Path.of(args[0]))) {
            dirs = s.filter(d -> GpuAotMetadata.isGpuArtifact(d)).sorted().toList();
        }
        for (Path d : dirs) GpuAotFunction.read(d); // files and checksums, before any GPU is needed
        System.out.println("read " + dirs.size() + " GPU artifacts (checksums and types verified)");
        int failed = 0;
        if (!dirs.isEmpty()) {
            try {
                GpuAotFunction.load(dirs.getFirst()).close();
            } catch (TfException e) { // no driver or no GPU: one line naming what was looked for
                System.err.println("GpuCheck: " + e.getMessage());
                System.exit(1);
            }
        }
        for (Path d : dirs) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(d.resolve("case.properties"), StandardCharsets.UTF_8)) {
                p.load(r);
            }
            String name = p.getProperty("name");
            try (GpuAotFunction f = GpuAotFunction.load(d)) {
                for (int seed = 0; seed < 2; seed++) check(f, d, seed, Double.parseDouble(p.getProperty("tolerance")), p.getProperty("seed" + seed + ".error"));
                System.out.println("PASS " + d.getFileName() + " " + name);
            } catch (AssertionError e) {
                failed++;
                System.out.println("FAIL " + d.getFileName() + " " + name + ": " + e.getMessage());
            }
        }
        System.out.println(failed == 0 ? "all " + dirs.size() + " cases match the interpreter" : failed + " of " + dirs.size() + " cases FAILED");
        if (failed > 0) System.exit(1);
    }

    private static void check(GpuAotFunction f, Path d, int seed, double rel, String error) throws IOException {
        GpuAotMetadata.Program program = f.metadata().programs().getFirst();
        List<Buffer> in = new ArrayList<>();
        for (int i = 0; i < program.params().size(); i++) in.add(read(d.resolve("seed" + seed + ".in" + i + ".bin"), program.params().get(i)));
        List<Buffer> got;
        try {
            got = f.run(in);
        } catch (TfException e) {
            if (error != null && error.equals(e.getMessage())) return;
            throw new AssertionError("seed " + seed + ": the GPU raised \"" + e.getMessage() + "\", the interpreter "
                    + (error == null ? "returned results" : "raised \"" + error + "\""));
        }
        if (error != null) throw new AssertionError("seed " + seed + ": the interpreter raised \"" + error + "\", the GPU returned results");
        for (int i = 0; i < got.size(); i++) {
            Buffer want = read(d.resolve("seed" + seed + ".want" + i + ".bin"), program.results().get(i));
            compare(want, got.get(i), rel, "seed " + seed + " result " + i);
        }
    }

    private static Buffer read(Path file, AotMetadata.Slot slot) throws IOException {
        TensorType t = slot.type();
        byte[] bytes = Files.readAllBytes(file);
        Buffer b = Buffer.allocate(t.dtype(), t.shape());
        if (bytes.length != b.size() * t.dtype().byteSize()) throw new IOException(file + " does not hold a " + t);
        MemorySegment.copy(bytes, 0, b.segment(), ValueLayout.JAVA_BYTE, 0, bytes.length);
        return b;
    }

    private static void compare(Buffer want, Buffer got, double rel, String what) {
        for (long j = 0; j < want.size(); j++) {
            if (!want.dtype().isFloating()) {
                if (want.getLong(j) != got.getLong(j)) throw new AssertionError(what + " element " + j + ": " + want.getLong(j) + " vs " + got.getLong(j));
                continue;
            }
            double a = want.getDouble(j), b = got.getDouble(j);
            boolean ok = Double.isNaN(a) || Double.isNaN(b) ? Double.isNaN(a) && Double.isNaN(b)
                    : rel == 0 ? Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b)
                    : Math.abs(a - b) <= rel * Math.max(1, Math.abs(a));
            if (!ok) throw new AssertionError(what + " element " + j + ": interpreter " + a + ", GPU " + b);
        }
    }
}
