package dev.tfjit.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Times disk-cache hits in fresh JVMs: runs {@link DiskCacheHitMain} once to fill a private cache
 * directory, then {@code runs} more times against it, and reports the median of each figure it
 * prints (and half the spread as the error).
 */
final class DiskCacheHits {
    private static final Pattern LINE = Pattern.compile("disk-hit first=([0-9.]+) ms second=([0-9.]+) ms run=([0-9.]+) ms compiled=(\\d+)");

    private DiskCacheHits() {}

    static Map<String, Measurement> measure(int runs) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("tfjit-disk-hit");
        try {
            child(dir); // fills the directory
            List<double[]> samples = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                Matcher m = child(dir);
                if (!m.group(4).equals("0")) throw new IllegalStateException("a fresh JVM compiled instead of hitting the disk cache: " + m.group());
                samples.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3))});
            }
            Map<String, Measurement> out = new LinkedHashMap<>();
            String[] names = {"DiskCacheHit.firstKernel", "DiskCacheHit.twentyOps", "DiskCacheHit.twentyOpsRun"};
            for (int k = 0; k < names.length; k++) {
                int col = k;
                double[] v = samples.stream().mapToDouble(s -> s[col]).sorted().toArray();
                out.put(names[k], new Measurement(names[k], v[v.length / 2], (v[v.length - 1] - v[0]) / 2, "ms/op", 0, Double.NaN));
            }
            return out;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static Matcher child(Path cacheDir) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(List.of(Report.FORK_JVM_ARGS));
        cmd.addAll(List.of("-Dtfjit.cache.dir=" + cacheDir, "-cp", System.getProperty("java.class.path"), DiskCacheHitMain.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("DiskCacheHitMain failed:\n" + output);
        Matcher m = LINE.matcher(output);
        if (!m.find()) throw new IllegalStateException("DiskCacheHitMain printed no timing:\n" + output);
        return m;
    }
}
