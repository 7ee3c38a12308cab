package dev.tfjit.codegen.ptx;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.runtime.Interpreter;
import dev.tfjit.runtime.cuda.CudaDevice;
import dev.tfjit.runtime.cuda.CudaDriver;
import dev.tfjit.runtime.cuda.DeviceBuffer;
import dev.tfjit.runtime.cuda.GpuExecutable;
import dev.tfjit.runtime.cuda.GpuProgram;
import dev.tfjit.runtime.cuda.GpuProgramFiles;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On a real GPU ({@code mvn -Pgpu}): every case of {@link GpuCases} through the ptx-gpu backend
 * matches the interpreter, and so do an ahead-of-time program loaded from its files and a run
 * that keeps its buffers on the device. Skipped, with the reason, where no GPU is present.
 */
@Tag("gpu")
class GpuDifferentialTest {
    private static void requireGpu() {
        assumeTrue(CudaDevice.isAvailable(0), () -> "no GPU: " + CudaDriver.unavailableReason().orElse("gpu:0 is missing"));
    }

    @TestFactory
    List<DynamicTest> everyCaseMatchesTheInterpreterOnTheGpu() {
        List<DynamicTest> tests = new ArrayList<>();
        for (GpuCases.Case c : GpuCases.all()) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                requireGpu();
                GpuCases.check(c, (cs, args) -> new PtxBackend().compile(cs.graph()).run(args));
            }));
        }
        return tests;
    }

    @Test
    void anAheadOfTimeProgramRunsFromItsFiles(@TempDir Path dir) {
        requireGpu();
        CudaDevice gpu = CudaDevice.get(0);
        GpuCases.Case c = GpuCases.all().stream().filter(x -> x.name().startsWith("softmax")).findFirst().orElseThrow();
        String sm = PtxCompiler.targetFor(gpu.computeCapability());
        PtxCompiler.writeArtifact(c.graph(), c.shapes(), sm, "softmax", dir);
        GpuProgram p = GpuProgramFiles.read(dir);
        Path cubin = GpuProgramFiles.cubin(dir, "softmax", sm);
        byte[] image = Files.exists(cubin) && sm.equals(gpu.smTarget()) ? readAll(cubin) : null;
        List<Buffer> args = GpuCases.inputs(c, 3);
        List<Buffer> want = Interpreter.run(c.graph(), args);
        try (GpuExecutable exe = new GpuExecutable(gpu, p, null, image)) {
            List<Buffer> got = exe.run(args);
            GpuCases.assertClose(want.getFirst(), got.getFirst(), c.relTolerance(), "softmax from files");
        }
    }

    @Test
    void buffersCanStayOnTheDevice() {
        requireGpu();
        CudaDevice gpu = CudaDevice.get(0);
        GpuCases.Case c = GpuCases.all().stream().filter(x -> x.name().startsWith("matmul with bias")).findFirst().orElseThrow();
        Graph g = c.graph();
        GpuProgram p = PtxCompiler.compile(g, c.shapes(), PtxCompiler.targetFor(gpu.computeCapability()));
        List<Buffer> args = GpuCases.inputs(c, 5);
        long live = gpu.pool().liveBytes();
        try (GpuExecutable exe = new GpuExecutable(gpu, p, g)) {
            List<DeviceBuffer> onDevice = args.stream().map(gpu::upload).toList();
            List<DeviceBuffer> out = exe.runOnDevice(onDevice);
            Buffer got = gpu.download(out.getFirst(), p.results().getFirst());
            GpuCases.assertClose(Interpreter.run(g, args).getFirst(), got, c.relTolerance(), "device-resident matmul");
            onDevice.forEach(DeviceBuffer::close);
            out.forEach(DeviceBuffer::close);
        }
        assertEquals(live, gpu.pool().liveBytes(), "every device buffer went back to the pool");
    }

    private static byte[] readAll(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
