package dev.tfjit.benchmarks;

import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The first call of a new 20-op function ({@link TwentyOps}) on the llvm-cpu backend with LLVM
 * already loaded and warm: tracing, graph passes, LLVM IR, O3, code generation, linking, writing
 * the disk cache entry, and the run itself. Every call builds a graph with a constant no earlier
 * call used, so no cache can answer it. Goal: under 50 ms. The disk-cache hit in a fresh JVM
 * is measured by {@link DiskCacheHitMain}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompileTimeBench {
    private Tensor x, y;
    private Path cacheDir;
    private int counter;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        // Before the backend's kernel cache reads its configuration: a private, initially empty store.
        cacheDir = Files.createTempDirectory("tfjit-compile-bench");
        System.setProperty("tfjit.cache.dir", cacheDir.toString());
        x = Tf.constant(TwentyOps.input(1), TwentyOps.LENGTH);
        y = Tf.constant(TwentyOps.input(2), TwentyOps.LENGTH);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> files = Files.walk(cacheDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Benchmark
    public Tensor compileTwentyOps() {
        float k = 1 + ++counter * 1e-4f;
        return Function.of((Tensor a, Tensor b) -> TwentyOps.apply(a, b, k)).withJitCompile(true).call(x, y);
    }
}
