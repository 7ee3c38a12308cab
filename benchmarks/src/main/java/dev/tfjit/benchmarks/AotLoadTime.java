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
 * {@code --runs} child JVMs on them, printing each time and the median and minimum:
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        long[] load = new long[runs], cpu = new long[runs], first = new long[runs];
        for (int i = 0; i < runs; i++) {
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-cp", classes.toString(),
                    AotLoadChild.class.getName(), artifact.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !out.contains("llvm_on_class_path=false")) {
                throw new IllegalStateException("child JVM failed: " + out);
            }
            load[i] = field(out, "load_ns=");
            cpu[i] = field(out, "load_cpu_ns=");
            first[i] = field(out, "first_call_ns=");
            System.out.printf("run %2d: load %6.2f ms (CPU %6.2f ms), first call (with its input) %6.2f ms%n", i + 1, load[i] / 1e6,
                    cpu[i] / 1e6, first[i] / 1e6);
        }
        Arrays.sort(load);
        Arrays.sort(cpu);
        Arrays.sort(first);
        System.out.printf("AotFunction.load in a fresh JVM without LLVM: median %.2f ms, min %.2f ms; CPU median %.2f ms, min %.2f ms"
                + " (%d runs); first call median %.2f ms%n", load[runs / 2] / 1e6, load[0] / 1e6, cpu[runs / 2] / 1e6, cpu[0] / 1e6, runs,
                first[runs / 2] / 1e6);
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
