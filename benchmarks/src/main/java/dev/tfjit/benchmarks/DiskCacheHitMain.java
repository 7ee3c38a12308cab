package dev.tfjit.benchmarks;

import dev.tfjit.runtime.Backends;
import dev.tfjit.tracer.ConcreteFunction;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A fresh JVM that finds its kernels in the disk cache ({@code -Dtfjit.cache.dir}), run by
 * {@link Report} (a JMH fork would be warm, so this is a child process of its own). It loads
 * LLVM, traces {@link TwentyOps} and a scalar function, and times the first call of each
 * concrete function: the kernel cache key, reading and checking the entry, linking the object
 * into the JIT, and one run of the kernel. The scalar function goes first, so the 20-op
 * function's hit is the second in this JVM; both are printed.
 *
 * <pre>
 * java -cp ... dev.tfjit.benchmarks.DiskCacheHitMain    # prints: disk-hit first=F ms second=S ms run=R ms compiled=C
 * </pre>
 * {@code compiled} counts new cache entries: 0 means both calls were disk hits, as intended
 * (a first run populates the directory).
 */
public final class DiskCacheHitMain {
    private DiskCacheHitMain() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(System.getProperty("tfjit.cache.dir"));
        long entriesBefore = entries(dir);
        if (!Backends.named("llvm-cpu").isAvailable()) throw new IllegalStateException("LLVM does not load here");
        Tensor s = Tf.constant(3f);
        Tensor x = Tf.constant(TwentyOps.input(1), TwentyOps.LENGTH);
        Tensor y = Tf.constant(TwentyOps.input(2), TwentyOps.LENGTH);
        ConcreteFunction scalar = Function.of((Tensor t) -> t.mul(2f).add(1f)).withJitCompile(true).concrete(s);
        ConcreteFunction twenty = Function.of((Tensor a, Tensor b) -> TwentyOps.apply(a, b, 1.5f)).withJitCompile(true).concrete(x, y);

        long t0 = System.nanoTime();
        scalar.callFlat(List.of(s));
        long t1 = System.nanoTime();
        twenty.callFlat(List.of(x, y));
        long t2 = System.nanoTime();
        twenty.callFlat(List.of(x, y));
        long t3 = System.nanoTime();
        System.out.printf(Locale.ROOT, "disk-hit first=%.3f ms second=%.3f ms run=%.3f ms compiled=%d%n",
                (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, entries(dir) - entriesBefore);
    }

    private static long entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
