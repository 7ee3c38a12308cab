package dev.tfjit.benchmarks;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.NoBenchmarksException;
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
import java.util.regex.Pattern;

/**
 * Runs the benchmarks with modest iterations (about 15 minutes on two cores for all of them)
 * and writes {@code <dir>/<name>.md} and {@code <name>.json}; {@code ./tfjit bench [REGEX]}
 * builds the module and runs this.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/classes:DEPS dev.tfjit.benchmarks.Report
 *     [REGEX] [--out benchmarks/results] [--name latest] [--before benchmarks/results/before.json]
 * </pre>
 * {@code REGEX} (JMH's include pattern, e.g. {@code MatMul}) runs only the matching benchmarks;
 * the others show as n/a. {@code --before} puts the figures of an earlier run (of an older
 * build) next to this one's. The JMH forks inherit this JVM's class path.
 */
public final class Report {
    static final String[] FORK_JVM_ARGS = {"--enable-native-access=ALL-UNNAMED", "-Xmx3g"};
    /** The benchmarks whose many ops keep the JIT busy for seconds: they get a longer warmup. */
    private static final String TRAINING = "dev\\.tfjit\\.benchmarks\\.(TrainStepBench|FashionMlpBench)\\.";
    /** How many fresh JVMs {@link DiskCacheHitMain} times (the median is reported). */
    static final int DISK_HIT_RUNS = 5;

    private Report() {}

    public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
        Map<String, String> opts = parseArgs(args);
        Path dir = Path.of(opts.getOrDefault("out", "benchmarks/results"));
        String name = opts.getOrDefault("name", "latest");
        String include = opts.getOrDefault("include", ".*");
        Map<String, Double> before = new LinkedHashMap<>();
        if (opts.containsKey("before")) {
            String json = Files.readString(Path.of(opts.get("before")));
            before.putAll(ResultsFiles.readScores(json));
            before.putAll(ResultsFiles.readHeapBytes(json));
        }

        String loadBefore = Machine.currentLoadAverage();
        Map<String, Measurement> results = new LinkedHashMap<>();
        // Short warmups for everything but the training steps, then those with their long one.
        results.putAll(run(include, "^" + TRAINING, 3));
        results.putAll(run(include, "^(?!" + TRAINING + ")", TRAINING_WARMUP_ITERATIONS));
        if (Pattern.compile(include).matcher(DiskCacheHitMain.class.getName()).find()) {
            results.putAll(DiskCacheHits.measure(DISK_HIT_RUNS));
        }
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

    /** The benchmarks matching {@code include} and not {@code exclude}; none is not an error. */
    private static Map<String, Measurement> run(String include, String exclude, int warmupIterations) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(include)
                .exclude(exclude)
                .forks(1)
                .warmupIterations(warmupIterations)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend(FORK_JVM_ARGS)
                .addProfiler(GCProfiler.class) // heap bytes per call: exact, unlike times on a busy machine
                .shouldFailOnError(false)
                .build();
        Collection<RunResult> runs;
        try {
            runs = new Runner(options).run();
        } catch (NoBenchmarksException e) {
            return Map.of();
        }
        Map<String, Measurement> out = new LinkedHashMap<>();
        for (RunResult r : runs) {
            Result<?> p = r.getPrimaryResult();
            String bench = r.getParams().getBenchmark();
            StringBuilder shortName = new StringBuilder(bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1));
            for (String k : r.getParams().getParamsKeys()) shortName.append(':').append(k).append('=').append(r.getParams().getParam(k));
            String key = shortName.toString();
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            out.put(key, new Measurement(key, p.getScore(), p.getScoreError(), p.getScoreUnit(), bytesPerCall(key),
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
        if (benchmark.startsWith("CompiledBandwidthBench.")) {
            return method.equals("activations") ? 4 * n * f32 : 3 * n * f32 + (method.equals("reduceSumFma") ? f32 : 0);
        }
        if (benchmark.startsWith("RowKernelBench.")) {
            long matrix = (long) RowKernelBench.ROWS * RowKernelBench.COLS * f32;
            return 2 * matrix + (method.equals("layerNorm") ? 2L * RowKernelBench.COLS * f32 : 0);
        }
        return 0;
    }

    private static Map<String, String> parseArgs(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (i == 0 && !args[i].startsWith("--")) {
                m.put("include", args[i]);
                continue;
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: Report [REGEX] [--out DIR] [--name NAME] [--before FILE.json]; bad argument " + args[i]);
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }
}
