package dev.tfjit.benchmarks;

import dev.tfjit.codegen.llvm.AotCompiler;
import dev.tfjit.codegen.llvm.AotEntry;
import dev.tfjit.codegen.llvm.AotRequest;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrParser;
import dev.tfjit.ir.Shape;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How long {@code AotFunction.load} takes in a fresh JVM, the case the 10 ms goal is about (a
 * JMH fork has long since loaded what a first load pays for). Compiles a small artifact, copies
 * only the ir and runtime classes (and {@link AotLoadChild}) out of this class path, and runs
 * {@code --runs} child JVMs on them, plainly and with a JDK AOT cache, printing each time and
 * writing the medians and minimums to {@code benchmarks/results/aot-load.md}:
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp CLASSPATH dev.tfjit.benchmarks.AotLoadTime [--runs 15]</pre>
 */
public final class AotLoadTime {
    private AotLoadTime() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length == 2 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 15;
        Path work = Files.createTempDirectory("tfjit-aot-load");
        Path artifact = work.resolve("artifact");
        Graph g = IrParser.parse("""
                func @tiny(%x: f32[4]) -> f32[4] {
                  %two = constant {value=dense<f32[]: 2.0>} : f32[]
                  %one = constant {value=dense<f32[]: 1.0>} : f32[]
                  %0 = mul %x, %two : f32[4]
                  %1 = add %0, %one : f32[4]
                  return %1
                }
                """);
        AotCompiler.compile(AotRequest.of("tiny", AotEntry.of(g, List.of(Shape.of(4)))), artifact);
        Path classes = work.resolve("classes");
        copyClasses(classes, "dev/tfjit/ir/", "dev/tfjit/runtime/", "dev/tfjit/benchmarks/AotLoadChild.class");
        // The JDK's AOT cache (JEP 483/514) maps classes loaded and linked by a training run; it needs a jar.
        Path jar = work.resolve("runtime-only.jar");
        jar(classes, jar);
        Path cache = work.resolve("runtime.aot");
        String loadBefore = Machine.currentLoadAverage();
        child(artifact, jar, "-XX:AOTCacheOutput=" + cache);
        Timings plain = measure(runs, artifact, jar, "-Xshare:auto");
        Timings cached = measure(runs, artifact, jar, "-XX:AOTCache=" + cache);
        String command = "java --enable-native-access=ALL-UNNAMED -cp \"benchmarks/target/classes:$(cat benchmarks/target/bench.classpath)\" "
                + AotLoadTime.class.getName() + " --runs " + runs;
        String report = """
                # AOT artifact load time (`AotFunction.load` in a fresh JVM)

                A 2-op artifact (`x*2+1` on f32[4]) loaded by a child JVM whose class path is one jar of the ir
                and runtime classes only (no LLVM, no ASM, no codegen). Goal: load under 10 ms. "first call" is
                the first `run` with making its input, which pays the JDK's one-time set-up of FFM downcalls.
                The second row starts the JVM with a JDK AOT cache of that jar (`-XX:AOTCache`, made by one
                training run with `-XX:AOTCacheOutput`; JDK 25, JEP 483/514), how a deployment would ship it.

                | JVM | load, wall (median / min) | load, CPU (median / min) | first call, wall (median) |
                |---|---:|---:|---:|
                %s
                %s

                %d fresh JVMs each. Machine: %s. Load average before: %s.
                Command: `%s`
                """.formatted(plain.row("plain (`-Xshare:auto`)"), cached.row("with the JDK AOT cache"), runs,
                Machine.current().cpu(), loadBefore, command);
        Path out = Path.of("benchmarks/results/aot-load.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        System.out.println("wrote " + out);
    }

    /** Wall and CPU time of the load and the first call, one sample per fresh JVM. */
    private record Timings(long[] load, long[] cpu, long[] first) {
        String row(String label) {
            return String.format(java.util.Locale.ROOT, "| %s | %.2f ms / %.2f ms | %.2f ms / %.2f ms | %.2f ms |", label,
                    median(load) / 1e6, load[0] / 1e6, median(cpu) / 1e6, cpu[0] / 1e6, median(first) / 1e6);
        }

        private static long median(long[] sorted) { return sorted[sorted.length / 2]; }
    }

    private static Timings measure(int runs, Path artifact, Path jar, String jvmFlag) throws IOException, InterruptedException {
        long[] load = new long[runs], cpu = new long[runs], first = new long[runs];
        for (int i = 0; i < runs; i++) {
            String out = child(artifact, jar, jvmFlag);
            load[i] = field(out, "load_ns=");
            cpu[i] = field(out, "load_cpu_ns=");
            first[i] = field(out, "first_call_ns=");
            System.out.printf("%s run %2d: load %6.2f ms (CPU %6.2f ms), first call (with its input) %6.2f ms%n", jvmFlag, i + 1,
                    load[i] / 1e6, cpu[i] / 1e6, first[i] / 1e6);
        }
        Arrays.sort(load);
        Arrays.sort(cpu);
        Arrays.sort(first);
        return new Timings(load, cpu, first);
    }

    /** Runs {@link AotLoadChild} in a fresh JVM on the runtime-only jar and returns its line. */
    private static String child(Path artifact, Path jar, String jvmFlag) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", jvmFlag, "-cp", jar.toString(),
                AotLoadChild.class.getName(), artifact.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.contains("llvm_on_class_path=false")
                || out.contains("[error]")) {
            throw new IllegalStateException("child JVM (" + jvmFlag + ") failed: " + out);
        }
        return out.lines().filter(l -> l.startsWith("load_ns=")).findFirst()
                .orElseThrow(() -> new IllegalStateException("child JVM printed no timing: " + out));
    }

    private static void jar(Path classes, Path jar) throws IOException {
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), new java.util.jar.Manifest());
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    private static long field(String out, String key) {
        int i = out.indexOf(key) + key.length();
        int j = out.indexOf(' ', i);
        return Long.parseLong(j < 0 ? out.substring(i) : out.substring(i, j));
    }

    /** Copies the class files under these prefixes from wherever this class path keeps them (jars or directories). */
    private static void copyClasses(Path to, String... prefixes) throws IOException, URISyntaxException {
        List<Path> roots = new ArrayList<>();
        List<FileSystem> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                roots.add(p);
            } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                FileSystem fs = FileSystems.newFileSystem(p);
                jars.add(fs);
                roots.add(fs.getPath("/"));
            }
        }
        try {
            for (Path root : roots) {
                for (String prefix : prefixes) {
                    Path start = root.resolve(prefix);
                    if (!Files.exists(start)) continue;
                    try (Stream<Path> files = Files.walk(start)) {
                        for (Path f : files.filter(Files::isRegularFile).toList()) {
                            Path target = to.resolve(root.relativize(f).toString());
                            Files.createDirectories(target.getParent());
                            try (InputStream in = Files.newInputStream(f)) {
                                Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                            }
                        }
                    }
                }
            }
        } finally {
            for (FileSystem fs : jars) fs.close();
        }
    }
}
