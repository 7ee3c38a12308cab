package dev.tfjit.benchmarks;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns measurements into the committed results: a Markdown page people read (every tfjit
 * figure next to its same-run baseline, and next to an earlier build's figure when given) and
 * a JSON file later runs can compare against.
 */
final class ResultsFiles {
    private static final String[] ELEMENTWISE = {"Add", "Mul", "Neg"};
    private static final Pattern SCORE = Pattern.compile("\"benchmark\":\\s*\"([^\"]+)\",\\s*\"score\":\\s*([-0-9.eE+]+|null)");
    private static final Pattern HEAP = Pattern.compile("\"benchmark\":\\s*\"([^\"]+)\",[^}]*\"heapBytesPerCall\":\\s*([-0-9.eE+]+)");

    private final Map<String, Measurement> results;
    private final Map<String, Double> before;
    private final Machine machine;
    private final String loadAtStart;
    private final String date;
    private final String command;

    ResultsFiles(Map<String, Measurement> results, Map<String, Double> before, Machine machine,
                 String loadAtStart, String date, String command) {
        this.results = results;
        this.before = before;
        this.machine = machine;
        this.loadAtStart = loadAtStart;
        this.date = date;
        this.command = command;
    }

    /** The scores of a JSON file this class wrote, by benchmark, in that file's units. */
    static Map<String, Double> readScores(String json) {
        Map<String, Double> m = new LinkedHashMap<>();
        Matcher x = SCORE.matcher(json);
        while (x.find()) if (!x.group(2).equals("null")) m.put(x.group(1), Double.parseDouble(x.group(2)));
        return m;
    }

    /** The heap bytes per call of a JSON file this class wrote, by benchmark, suffixed {@code :heap}. */
    static Map<String, Double> readHeapBytes(String json) {
        Map<String, Double> m = new LinkedHashMap<>();
        Matcher x = HEAP.matcher(json);
        while (x.find()) m.put(x.group(1) + ":heap", Double.parseDouble(x.group(2)));
        return m;
    }

    String markdown() {
        StringBuilder s = new StringBuilder();
        s.append("# tfjit benchmarks\n\n");
        s.append("- date: ").append(date).append('\n');
        s.append("- machine: ").append(machine.cpu()).append(", ").append(machine.cores()).append(" cores visible, ")
                .append(machine.memoryBytes() >> 20).append(" MiB memory, ").append(machine.os()).append('\n');
        s.append("- JVM: ").append(machine.jvm()).append(" (benchmark forks run with ").append(String.join(" ", Report.FORK_JVM_ARGS))
                .append(")\n");
        s.append("- load average (1/5/15 min) at start: ").append(loadAtStart).append(", at end: ").append(machine.loadAverage())
                .append(" (a shared machine: other processes compete for the cores and memory bus)\n");
        s.append("- command: `").append(command).append("`\n");
        s.append("- JMH: 1 fork, 3 x 1 s warmup, 5 x 1 s measurement; ± is JMH's 99.9% error half-width\n");
        if (!before.isEmpty()) s.append("- \"before\" columns: the same benchmarks on the build before the eager-performance work\n");

        s.append("\n## Eager dispatch (float32 scalars)\n\n");
        s.append("`x.mul(2f).add(1f)` is 2 user ops and 4 dispatches (each Java number becomes a scalar constant, as in TF). Goal: < 1 us per op.\n\n");
        s.append("| benchmark | ns per call | user ops | ns per user op | before: ns per user op | speedup | heap B per call | before: heap B per call |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        dispatchRow(s, "EagerDispatchBench.scalarMulAdd", "`x.mul(2f).add(1f)`", 2);
        dispatchRow(s, "EagerDispatchBench.scalarAddTensors", "`x.add(y)`", 1);

        s.append("\n## Elementwise bandwidth (16M float32 = 64 MiB per operand)\n\n");
        s.append("GB/s counts each operand read once and the result written once (STREAM's convention); "
                + "the Java loop writes into a preallocated float[], the eager op also allocates its result.\n\n");
        Measurement triad = results.get("ElementwiseBandwidthBench.triad2Threads");
        s.append("| op | eager ms | eager GB/s | Java loop GB/s | eager / Java loop | eager / triad | before: eager GB/s | speedup |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String op : ELEMENTWISE) {
            Measurement tf = results.get("ElementwiseBandwidthBench.tf" + op);
            Measurement java = results.get("ElementwiseBandwidthBench.java" + op);
            s.append("| ").append(op.toLowerCase(Locale.ROOT)).append(" | ").append(time(tf)).append(" | ").append(gbs(tf))
                    .append(" | ").append(gbs(java)).append(" | ").append(ratio(tf, java)).append(" | ").append(ratio(tf, triad))
                    .append(" | ").append(beforeGbs(tf, "ElementwiseBandwidthBench.tf" + op))
                    .append(" | ").append(speedup(tf, "ElementwiseBandwidthBench.tf" + op)).append(" |\n");
        }
        s.append("\nBandwidth limit: two-thread STREAM triad `a = b + s*c` in Java: ").append(gbs(triad)).append(" GB/s (")
                .append(time(triad)).append(" ms).\n");

        s.append("\n## Reduction bandwidth (reduce_sum of 16M float32)\n\n");
        Measurement red = results.get("ReductionBandwidthBench.tfReduceSum");
        Measurement j8 = results.get("ReductionBandwidthBench.javaSum8Way");
        Measurement j1 = results.get("ReductionBandwidthBench.javaSumSimple");
        s.append("| benchmark | ms | GB/s | eager / this |\n|---|---:|---:|---:|\n");
        s.append("| eager `Tf.reduceSum(x)` | ").append(time(red)).append(" | ").append(gbs(red)).append(" | |\n");
        s.append("| Java loop, 8 accumulators | ").append(time(j8)).append(" | ").append(gbs(j8)).append(" | ").append(ratio(red, j8)).append(" |\n");
        s.append("| Java loop, 1 accumulator | ").append(time(j1)).append(" | ").append(gbs(j1)).append(" | ").append(ratio(red, j1)).append(" |\n");
        if (red == null) s.append("\nn/a: `Tf.reduceSum(Tensor)` is not in the build that was measured.\n");

        s.append("\n## Traced function call overhead (scalar `x*2+1`, interpreter backend)\n\n");
        Measurement call = results.get("FunctionCallBench.functionCall");
        Measurement concrete = results.get("FunctionCallBench.concreteCall");
        Measurement interp = results.get("FunctionCallBench.interpreterOnly");
        s.append("| benchmark | ns per call | heap B per call |\n|---|---:|---:|\n");
        s.append("| `f.call(x)` (signature check, arg checks, run, wrap) | ").append(ns(call)).append(" | ").append(heap(call)).append(" |\n");
        s.append("| `concrete.callFlat(args)` (arg checks, run, wrap) | ").append(ns(concrete)).append(" | ").append(heap(concrete)).append(" |\n");
        s.append("| `Interpreter.run(graph, buffers)` | ").append(ns(interp)).append(" | ").append(heap(interp)).append(" |\n");
        s.append("\nOverhead of the cache lookup and argument checks on top of execution (goal < 1 us): ")
                .append(call == null || interp == null ? "n/a" : String.format(Locale.ROOT, "%.0f ns", call.score() - interp.score()))
                .append(".\n");

        llvmSection(s, triad);
        trainingSection(s);

        s.append("\nRatios are bandwidth ratios (higher is better for tfjit); n/a means the benchmark did not run.\n");
        return s.toString();
    }

    String json() {
        StringBuilder s = new StringBuilder("{\n");
        s.append("  \"date\": ").append(str(date)).append(",\n");
        s.append("  \"command\": ").append(str(command)).append(",\n");
        s.append("  \"machine\": {\"cpu\": ").append(str(machine.cpu())).append(", \"cores\": ").append(machine.cores())
                .append(", \"os\": ").append(str(machine.os())).append(", \"jvm\": ").append(str(machine.jvm()))
                .append(", \"memoryBytes\": ").append(machine.memoryBytes())
                .append(", \"loadAverageAtStart\": ").append(str(loadAtStart))
                .append(", \"loadAverageAtEnd\": ").append(str(machine.loadAverage())).append("},\n");
        s.append("  \"results\": [\n");
        int i = 0;
        for (Measurement m : results.values()) {
            s.append("    {\"benchmark\": ").append(str(m.benchmark())).append(", \"score\": ").append(num(m.score()))
                    .append(", \"error\": ").append(num(m.error())).append(", \"unit\": ").append(str(m.unit()));
            if (m.bytesPerCall() > 0) s.append(", \"gigabytesPerSecond\": ").append(num(m.gigabytesPerSecond()));
            if (examplesPerStep(m.benchmark()) > 0) s.append(", \"examplesPerSecond\": ").append(num(examplesPerSecond(m)));
            if (!Double.isNaN(m.heapBytesPerCall())) s.append(", \"heapBytesPerCall\": ").append(num(m.heapBytesPerCall()));
            s.append(++i < results.size() ? "},\n" : "}\n");
        }
        s.append("  ],\n  \"beforeScores\": {");
        i = 0;
        for (var e : before.entrySet()) {
            s.append(i++ == 0 ? "" : ", ").append(str(e.getKey())).append(": ").append(num(e.getValue()));
        }
        s.append("}\n}\n");
        return s.toString();
    }

    /** The llvm-cpu backend's figures against the goals, each next to its same-run baseline. */
    private void llvmSection(StringBuilder s, Measurement triad) {
        s.append("\n## llvm-cpu: fused kernels against the memory bandwidth\n\n");
        s.append("Functions compiled with `withJitCompile(true)`, called through `Function.call` (result allocation included). "
                + "GB/s counts the bytes a call must read and write, each once; the goal is a fraction of the two-thread "
                + "STREAM triad measured in the same run (").append(gbs(triad)).append(" GB/s).\n\n");
        s.append("| kernel | ms | GB/s | / triad | goal | met |\n|---|---:|---:|---:|---:|---|\n");
        bandwidthGoal(s, triad, "CompiledBandwidthBench.reduceSumFma", "`reduce_sum(a*b+c)`, 16M f32", 0.85);
        bandwidthGoal(s, triad, "CompiledBandwidthBench.activations", "`tanh(a)*sigmoid(b)+relu(c)*0.5`, 16M f32", 0.85);
        bandwidthGoal(s, triad, "RowKernelBench.softmax", "softmax over rows of [4096,1024]", 0.70);
        bandwidthGoal(s, triad, "RowKernelBench.layerNorm", "layer normalization over rows of [4096,1024]", 0.70);
        bandwidthGoal(s, triad, "CompiledBandwidthBench.javaReduceSumFma", "plain Java loop, one thread, 8 accumulators: a*b+c summed", Double.NaN);

        s.append("\n## llvm-cpu: matmul (float32, both cores)\n\n");
        s.append("| product | us | GFLOP/s | goal | met |\n|---|---:|---:|---:|---|\n");
        for (int n : new int[] {1024, 256}) {
            double goal = n == 1024 ? 100 : 55;
            flopsGoal(s, "MatMulBench.matmul:n=" + n, "`matmul` " + n + "^3", n, goal);
            flopsGoal(s, "MatMulBench.matmulBiasRelu:n=" + n, "`relu(matmul + bias)` " + n + "^3", n, Double.NaN);
        }

        s.append("\n## llvm-cpu: call overhead and compile time\n\n");
        s.append("| what | time | goal | met |\n|---|---:|---:|---|\n");
        latencyGoal(s, "CompiledCallBench.functionCall", "`f.call(x)`, compiled scalar `x*2+1`", 2e-6);
        latencyGoal(s, "CompiledCallBench.concreteCall", "`concrete.callFlat(args)`, the same without the signature lookup", Double.NaN);
        latencyGoal(s, "FunctionCallBench.functionCall", "`f.call(x)` on the interpreter (for comparison)", Double.NaN);
        latencyGoal(s, "CompileTimeBench.compileTwentyOps", "first call of a new 20-op function, LLVM warm (trace, passes, O3, codegen, link, disk write, run)", 50e-3);
        latencyGoal(s, "DiskCacheHit.twentyOps", "disk-cache hit of the 20-op function in a fresh JVM (key, read and check, link, first run)", 5e-3);
        latencyGoal(s, "DiskCacheHit.firstKernel", "the fresh JVM's first disk-cache hit (scalar function; includes loading the cache's classes)", Double.NaN);
        latencyGoal(s, "DiskCacheHit.twentyOpsRun", "a second call of the 20-op function in that JVM (the run alone)", Double.NaN);
        s.append("\nDisk-cache hits are the median of ").append(Report.DISK_HIT_RUNS)
                .append(" fresh JVMs (`DiskCacheHitMain`, LLVM loaded first; JVM start and LLVM's library load excluded), "
                        + "± half their spread. Memory over a million compiled calls is checked by `LeakTest` (tests module).\n");
    }

    private void bandwidthGoal(StringBuilder s, Measurement triad, String key, String label, double goal) {
        Measurement m = results.get(key);
        double ratio = m == null || triad == null ? Double.NaN : m.gigabytesPerSecond() / triad.gigabytesPerSecond();
        s.append("| ").append(label).append(" | ").append(time(m)).append(" | ").append(gbs(m)).append(" | ").append(fmt(ratio))
                .append(" | ").append(Double.isNaN(goal) ? "" : ">= " + fmt(goal)).append(" | ").append(met(ratio >= goal, ratio, goal)).append(" |\n");
    }

    private void flopsGoal(StringBuilder s, String key, String label, long n, double goal) {
        Measurement m = results.get(key);
        double gflops = m == null ? Double.NaN : 2.0 * n * n * n / m.seconds() / 1e9;
        s.append("| ").append(label).append(" | ").append(time(m)).append(" | ").append(fmt(gflops))
                .append(" | ").append(Double.isNaN(goal) ? "" : ">= " + fmt(goal)).append(" | ").append(met(gflops >= goal, gflops, goal)).append(" |\n");
    }

    private void latencyGoal(StringBuilder s, String key, String label, double goalSeconds) {
        Measurement m = results.get(key);
        double t = m == null ? Double.NaN : m.seconds();
        s.append("| ").append(label).append(" | ").append(m == null ? "n/a" : seconds(t) + " ± " + seconds(m.error() * t / m.score()))
                .append(" | ").append(Double.isNaN(goalSeconds) ? "" : "< " + seconds(goalSeconds))
                .append(" | ").append(met(t < goalSeconds, t, goalSeconds)).append(" |\n");
    }

    private static String met(boolean ok, double value, double goal) {
        if (Double.isNaN(goal)) return "";
        return Double.isNaN(value) ? "n/a" : ok ? "yes" : "**no**";
    }

    private static String seconds(double t) {
        if (Double.isNaN(t)) return "n/a";
        if (t >= 1e-3) return fmt(t * 1e3) + " ms";
        if (t >= 1e-6) return fmt(t * 1e6) + " us";
        return fmt(t * 1e9) + " ns";
    }

    private void trainingSection(StringBuilder s) {
        s.append("\n## Training steps (nn module)\n\n");
        s.append("One call is one train step: forward pass, GradientTape, gradients, optimizer update, metric updates. "
                + "\"compiled\" is `model.compiledTrainStep()` (the one traced Function `fit` uses) on the interpreter, "
                + "\"compiled, llvm-cpu\" the same Function with `withJitCompile(true)`, \"eager\" is "
                + "`model.trainStep(x, y)` op by op, \"hand-written Java loops\" the Fashion model's step written by hand "
                + "over float arrays (HandWrittenMlp). Synthetic data; the Fashion-MNIST model sees 28x28 inputs in [0, 1] "
                + "and labels 0..9, so no dataset files are needed. These run with " + Report.TRAINING_WARMUP_ITERATIONS
                + " x 1 s warmup (the JIT needs several seconds for steps of this many ops). "
                + "Goal for the 8-30-1 compiled step: < 50 us.\n\n");
        s.append("| model | step | ns per step | examples/s | compiled / eager (examples/s) | heap B per step |\n");
        s.append("|---|---|---:|---:|---:|---:|\n");
        trainingRows(s, "TrainStepBench", "MLP 8-30-1, batch 256, Huber, SGD");
        trainingRows(s, "FashionMlpBench", "MLP 784-300-100-10, batch 32, Adam");
    }

    private void trainingRows(StringBuilder s, String bench, String label) {
        Measurement compiled = results.get(bench + ".compiledStep");
        Measurement llvm = results.get(bench + ".compiledStepLlvm");
        Measurement eager = results.get(bench + ".eagerStep");
        Measurement handWritten = results.get(bench + ".handWrittenJavaStep");
        String[] steps = {"compiled", "compiled, llvm-cpu", "eager", "hand-written Java loops"};
        Measurement[] ms = {compiled, llvm, eager, handWritten};
        for (int i = 0; i < ms.length; i++) {
            Measurement m = ms[i];
            if (i == 3 && m == null) continue; // only the Fashion model has a hand-written twin
            boolean isCompiled = i < 2;
            String speedup = m == null || eager == null ? "n/a" : fmt(eager.seconds() / m.seconds()) + "x";
            s.append("| ").append(label).append(" | ").append(steps[i]).append(" | ")
                    .append(m == null ? "n/a" : String.format(Locale.ROOT, "%.0f ± %.0f", m.seconds() * 1e9, m.error() * m.seconds() / m.score() * 1e9))
                    .append(" | ").append(m == null ? "n/a" : String.format(Locale.ROOT, "%.0f", examplesPerSecond(m)))
                    .append(" | ").append(isCompiled ? speedup : "").append(" | ").append(heap(m)).append(" |\n");
        }
    }

    /** Examples one call of a training benchmark trains on; 0 for the other benchmarks. */
    static int examplesPerStep(String benchmark) {
        if (benchmark.startsWith("TrainStepBench.")) return TrainStepBench.BATCH;
        if (benchmark.startsWith("FashionMlpBench.")) return FashionMlpBench.BATCH;
        return 0;
    }

    private static double examplesPerSecond(Measurement m) { return examplesPerStep(m.benchmark()) / m.seconds(); }

    private void dispatchRow(StringBuilder s, String key, String label, int userOps) {
        Measurement m = results.get(key);
        Double old = before.get(key);
        s.append("| ").append(label).append(" | ").append(m == null ? "n/a" : fmt(m.score()) + " ± " + fmt(m.error()))
                .append(" | ").append(userOps)
                .append(" | ").append(m == null ? "n/a" : fmt(m.score() / userOps))
                .append(" | ").append(old == null ? "n/a" : fmt(old / userOps))
                .append(" | ").append(m == null || old == null ? "n/a" : fmt(old / m.score()) + "x")
                .append(" | ").append(m == null ? "n/a" : fmt(m.heapBytesPerCall()))
                .append(" | ").append(before.containsKey(key + ":heap") ? fmt(before.get(key + ":heap")) : "n/a").append(" |\n");
    }

    private static String time(Measurement m) { return m == null ? "n/a" : fmt(m.score()) + " ± " + fmt(m.error()); }

    private static String gbs(Measurement m) { return m == null ? "n/a" : fmt(m.gigabytesPerSecond()); }

    /** Bandwidth of {@code tf} relative to {@code base}. */
    private static String ns(Measurement m) { return m == null ? "n/a" : String.format(Locale.ROOT, "%.0f ± %.0f", m.score(), m.error()); }

    private static String heap(Measurement m) {
        return m == null || Double.isNaN(m.heapBytesPerCall()) ? "n/a" : String.format(Locale.ROOT, "%.0f", m.heapBytesPerCall());
    }

    private static String ratio(Measurement tf, Measurement base) {
        return tf == null || base == null ? "n/a" : fmt(tf.gigabytesPerSecond() / base.gigabytesPerSecond());
    }

    private String beforeGbs(Measurement now, String key) {
        Double old = before.get(key);
        // Same benchmark, same unit: bytes per call are equal, so GB/s scales with the time ratio.
        return old == null || now == null ? "n/a" : fmt(now.gigabytesPerSecond() * now.score() / old);
    }

    private String speedup(Measurement now, String key) {
        Double old = before.get(key);
        return old == null || now == null ? "n/a" : fmt(old / now.score()) + "x";
    }

    private static String fmt(double v) {
        if (Double.isNaN(v)) return "n/a";
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.2f", v);
    }

    private static String num(double v) { return Double.isFinite(v) ? Double.toString(v) : "null"; }

    private static String str(String v) {
        StringBuilder s = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                default -> s.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return s.append('"').toString();
    }
}
