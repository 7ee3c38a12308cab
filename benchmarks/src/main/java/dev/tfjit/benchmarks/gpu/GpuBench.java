package dev.tfjit.benchmarks.gpu;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.TensorType;
import dev.tfjit.runtime.cuda.CudaDevice;
import dev.tfjit.runtime.cuda.CudaDriver;
import dev.tfjit.runtime.cuda.CudaError;
import dev.tfjit.runtime.cuda.DeviceBuffer;
import dev.tfjit.runtime.cuda.GpuExecutable;
import dev.tfjit.runtime.cuda.GpuProgram;
import dev.tfjit.runtime.cuda.GpuProgramFiles;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The GPU benchmark, runnable on a machine with only a JDK (jlinked is enough), the ir and
 * runtime jars, an NVIDIA driver and the programs {@link GpuBenchPrograms} wrote:
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp tfjit-ir.jar:tfjit-runtime.jar:GPUBENCH_CLASSES \
 *     dev.tfjit.benchmarks.gpu.GpuBench PROGRAMS_DIR [RESULTS_FILE]
 * </pre>
 * Kernel times come from CUDA events around many back-to-back runs on one stream; bandwidths are
 * the minimal bytes each program must move over that time, reported as a fraction of a
 * device-to-device copy measured in the same run. Dispatch latency is host wall time per call
 * of a 4-element function, with (run) and without (runOnDevice) its host copies.
 */
public final class GpuBench {
    private GpuBench() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: GpuBench PROGRAMS_DIR [RESULTS_FILE]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        CudaDevice gpu;
        try {
            gpu = CudaDevice.get(0);
        } catch (CudaError e) { // no driver or no GPU: one line naming what was looked for
            System.err.println("GpuBench: " + e.getMessage());
            System.exit(1);
            return;
        }
        StringBuilder report = new StringBuilder();
        report.append("# tfjit GPU benchmark\n\ndevice: ").append(gpu).append(", driver ").append(gpu.driver().driverVersion())
                .append(", ").append(gpu.totalMemory() >> 20).append(" MiB\n\n| program | time | figure |\n|---|---|---|\n");

        long bytes = (long) GpuBenchPrograms.N * 4;
        double copyMs = timeCopy(gpu, bytes, 20);
        double copyGBs = 2.0 * bytes / copyMs / 1e6;
        row(report, "device-to-device copy, 256 MiB", copyMs, String.format("%.0f GB/s (read + write)", copyGBs));
        for (String name : List.of("elementwise", "reduce_sum", "row_sum", "softmax", "layernorm")) {
            double ms = timeProgram(gpu, dir.resolve(name), 20);
            long moved = switch (name) {
                case "elementwise" -> 3 * bytes;             // read x and y, write the result
                case "reduce_sum" -> bytes;                  // read x
                case "row_sum" -> bytes;                     // read x (16384 x 4096 floats = 256 MiB)
                default -> 2 * bytes;                        // softmax, layernorm: read x, write the result (the ideal)
            };
            double gbs = moved / ms / 1e6;
            row(report, name, ms, String.format("%.0f GB/s = %.0f%% of copy", gbs, 100 * gbs / copyGBs));
        }
        double mm = timeProgram(gpu, dir.resolve("matmul"), 5);
        row(report, "matmul 4096^3 f32", mm, String.format("%.1f TFLOP/s", 2.0 * 4096 * 4096 * 4096 / mm / 1e9));
        double[] latency = dispatchLatency(gpu, dir.resolve("tiny"), 2000);
        report.append(String.format("| tiny function, host buffers (run) | %.1f µs median | |%n", latency[0]));
        report.append(String.format("| tiny function, device buffers (runOnDevice) | %.1f µs median | |%n", latency[1]));
        System.out.print(report);
        if (args.length > 1) Files.writeString(Path.of(args[1]), report, StandardCharsets.UTF_8);
    }

    private static void row(StringBuilder r, String name, double ms, String figure) {
        r.append(String.format("| %s | %.3f ms | %s |%n", name, ms, figure));
    }

    private static GpuExecutable load(CudaDevice gpu, Path dir) throws IOException {
        GpuProgram p = GpuProgramFiles.read(dir);
        Path cubin = GpuProgramFiles.cubin(dir, p.name(), p.target());
        byte[] image = Files.exists(cubin) && p.target().equals(gpu.smTarget()) ? Files.readAllBytes(cubin) : null;
        return new GpuExecutable(gpu, p, null, image);
    }

    private static DeviceBuffer random(CudaDevice gpu, TensorType t, long seed) {
        Buffer host = Buffer.allocate(t.dtype(), t.shape());
        Random r = new Random(seed);
        for (long i = 0; i < host.size(); i++) host.setDouble(i, r.nextGaussian());
        return gpu.upload(host);
    }

    /** Milliseconds per run of a program, from events around {@code reps} queued runs. */
    private static double timeProgram(CudaDevice gpu, Path dir, int reps) throws IOException {
        CudaDriver d = gpu.driver();
        try (GpuExecutable exe = load(gpu, dir)) {
            GpuProgram p = exe.program();
            List<DeviceBuffer> args = new ArrayList<>(), results = new ArrayList<>();
            for (int i = 0; i < p.params().size(); i++) args.add(random(gpu, p.params().get(i), i));
            for (TensorType t : p.results()) results.add(gpu.allocate(t.shape().numElements() * t.dtype().byteSize()));
            try (DeviceBuffer scratch = gpu.allocate(p.scratchBytes())) {
                gpu.makeCurrent();
                MemorySegment stream = d.createStream(), start = d.createEvent(), end = d.createEvent();
                for (int i = 0; i < 3; i++) exe.enqueue(args, results, scratch, stream); // warm-up (and the driver's lazy loading)
                d.synchronize(stream);
                d.record(start, stream);
                for (int i = 0; i < reps; i++) exe.enqueue(args, results, scratch, stream);
                d.record(end, stream);
                d.synchronizeEvent(end);
                double ms = d.elapsedMillis(start, end) / reps;
                d.destroyEvent(start);
                d.destroyEvent(end);
                d.destroyStream(stream);
                return ms;
            } finally {
                args.forEach(DeviceBuffer::close);
                results.forEach(DeviceBuffer::close);
            }
        }
    }

    private static double timeCopy(CudaDevice gpu, long bytes, int reps) {
        CudaDriver d = gpu.driver();
        try (DeviceBuffer a = gpu.allocate(bytes); DeviceBuffer b = gpu.allocate(bytes)) {
            gpu.makeCurrent();
            MemorySegment stream = d.createStream(), start = d.createEvent(), end = d.createEvent();
            d.copyDeviceToDeviceAsync(b.address(), a.address(), bytes, stream);
            d.synchronize(stream);
            d.record(start, stream);
            for (int i = 0; i < reps; i++) d.copyDeviceToDeviceAsync(b.address(), a.address(), bytes, stream);
            d.record(end, stream);
            d.synchronizeEvent(end);
            double ms = d.elapsedMillis(start, end) / reps;
            d.destroyEvent(start);
            d.destroyEvent(end);
            d.destroyStream(stream);
            return ms;
        }
    }

    /** Median microseconds per call: {@code run} with host buffers, then {@code runOnDevice}. */
    private static double[] dispatchLatency(CudaDevice gpu, Path dir, int calls) throws IOException {
        try (GpuExecutable exe = load(gpu, dir)) {
            Buffer x = Buffer.ofFloats(dev.tfjit.ir.Shape.of(4), 1, 2, 3, 4);
            long[] host = new long[calls], device = new long[calls];
            for (int i = 0; i < 200; i++) exe.run(List.of(x));
            for (int i = 0; i < calls; i++) {
                long t = System.nanoTime();
                exe.run(List.of(x));
                host[i] = System.nanoTime() - t;
            }
            try (DeviceBuffer dx = gpu.upload(x)) {
                for (int i = 0; i < 200; i++) exe.runOnDevice(List.of(dx)).forEach(DeviceBuffer::close);
                for (int i = 0; i < calls; i++) {
                    long t = System.nanoTime();
                    List<DeviceBuffer> out = exe.runOnDevice(List.of(dx));
                    device[i] = System.nanoTime() - t;
                    out.forEach(DeviceBuffer::close);
                }
            }
            Arrays.sort(host);
            Arrays.sort(device);
            return new double[]{host[calls / 2] / 1e3, device[calls / 2] / 1e3};
        }
    }
}
