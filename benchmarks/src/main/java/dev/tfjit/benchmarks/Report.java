package dev.tfjit.benchmarks;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the foundation benchmarks with modest iterations (a few minutes on two cores) and writes
 * {@code <dir>/<name>.md} and {@code <name>.json}.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar dev.tfjit.benchmarks.Report
 *     [--out benchmarks/results] [--name foundation] [--before benchmarks/results/before.json]
 * </pre>
 * {@code --before} puts the figures of an earlier run (of an older build) next to this one's.
 */
public final class Report {
    static final String[] FORK_JVM_ARGS = {"--enable-native-access=ALL-UNNAMED", "-Xmx3g"};

    private Report() {}

    public static void main(String[] args) throws RunnerException, IOException {
        Map<String, String> opts = parseArgs(args);
        Path dir = Path.of(opts.getOrDefault("out", "benchmarks/results"));
        String name = opts.getOrDefault("name", "foundation");
        Map<String, Double> before = new LinkedHashMap<>();
        if (opts.containsKey("before")) {
            String json = Files.readString(Path.of(opts.get("before")));
            before.putAll(ResultsFiles.readScores(json));
            before.putAll(ResultsFiles.readHeapBytes(json));
        }

        String loadBefore = Machine.currentLoadAverage();
        Map<String, Measurement> results = run();
        Machine machine = Machine.current();
        String when = ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String command = ProcessHandle.current().info().commandLine().orElse("(command line unavailable)");

        Files.createDirectories(dir);
        var files = new ResultsFiles(results, before, machine, loadBefore, when, command);
        Files.writeString(dir.resolve(name + ".md"), files.markdown());
        Files.writeString(dir.resolve(name + ".json"), files.json());
        System.out.println(files.markdown());
        System.out.println("wrote " + dir.resolve(name + ".md") + " and " + name + ".json");
    }

    /** Warmup iterations of the training steps: their many ops keep the JIT busy for several seconds. */
    static final int TRAINING_WARMUP_ITERATIONS = 8;

    private static Map<String, Measurement> run() throws RunnerException {
        Map<String, Measurement> out = new LinkedHashMap<>();
        out.putAll(run(3, EagerDispatchBench.class, ElementwiseBandwidthBench.class, ReductionBandwidthBench.class, FunctionCallBench.class));
        out.putAll(run(TRAINING_WARMUP_ITERATIONS, TrainStepBench.class, FashionMlpBench.class));
        return out;
    }

    private static Map<String, Measurement> run(int warmupIterations, Class<?>... benchmarks) throws RunnerException {
        OptionsBuilder builder = new OptionsBuilder();
        for (Class<?> b : benchmarks) builder.include(b.getName());
        Options options = builder
                .forks(1)
                .warmupIterations(warmupIterations)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend(FORK_JVM_ARGS)
                .addProfiler(GCProfiler.class) // heap bytes per call: exact, unlike times on a busy machine
                .shouldFailOnError(false)
                .build();
        Collection<RunResult> runs = new Runner(options).run();
        Map<String, Measurement> out = new LinkedHashMap<>();
        for (RunResult r : runs) {
            Result<?> p = r.getPrimaryResult();
            String bench = r.getParams().getBenchmark();
            String shortName = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            out.put(shortName, new Measurement(shortName, p.getScore(), p.getScoreError(), p.getScoreUnit(), bytesPerCall(shortName),
                    alloc == null ? Double.NaN : alloc.getScore()));
        }
        return out;
    }

    /** Logical traffic of one call, counted as STREAM counts it: each operand read once, the result written once. */
    static long bytesPerCall(String benchmark) {
        String method = benchmark.substring(benchmark.indexOf('.') + 1);
        long n = 16L << 20, f32 = 4;
        if (benchmark.startsWith("ElementwiseBandwidthBench.")) {
            return (method.endsWith("Neg") ? 2 : 3) * n * f32;
        }
        if (benchmark.startsWith("ReductionBandwidthBench.")) return n * f32;
        return 0;
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: Report [--out DIR] [--name NAME] [--before FILE.json]; bad argument " + args[i]);
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }
}
