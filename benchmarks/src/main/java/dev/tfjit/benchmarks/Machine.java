package dev.tfjit.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** What the numbers were measured on; bandwidth figures mean little without it. */
record Machine(String cpu, int cores, long memoryBytes, String os, String jvm, String loadAverage) {
    static Machine current() {
        Runtime rt = Runtime.getRuntime();
        return new Machine(cpuModel(), rt.availableProcessors(), physicalMemory(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                currentLoadAverage());
    }

    /** The 1, 5 and 15 minute load averages: other work on a shared machine skews the figures. */
    static String currentLoadAverage() {
        return read("/proc/loadavg").map(s -> String.join(" ", java.util.Arrays.copyOf(s.trim().split("\\s+"), 3))).orElse("unknown");
    }

    private static String cpuModel() {
        return read("/proc/cpuinfo").flatMap(s -> s.lines()
                        .filter(l -> l.startsWith("model name"))
                        .map(l -> l.substring(l.indexOf(':') + 1).trim())
                        .findFirst())
                .orElse(System.getProperty("os.arch"));
    }

    /** Physical memory from /proc/meminfo, or -1 where there is none. */
    private static long physicalMemory() {
        return read("/proc/meminfo").flatMap(s -> s.lines()
                        .filter(l -> l.startsWith("MemTotal:"))
                        .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
                        .findFirst())
                .orElse(-1L);
    }

    private static Optional<String> read(String path) {
        try {
            return Optional.of(Files.readString(Path.of(path)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
