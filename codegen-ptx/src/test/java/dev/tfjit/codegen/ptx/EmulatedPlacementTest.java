package dev.tfjit.codegen.ptx;

import dev.tfjit.runtime.Device;
import dev.tfjit.runtime.cuda.CudaDriver;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Device placement through the real code generator: a Function with a staged loop and eager ops
 * in a {@code Tf.device("gpu:0")} scope become PTX programs, run here on the CPU-emulated GPU,
 * and give the host's results; without the emulation and without a driver the ptx-gpu backend's
 * error names the library it looked for.
 */
class EmulatedPlacementTest {
    private static final Device GPU0 = new Device(Device.Kind.GPU, 0);

    @AfterEach
    void disable() { EmulatedGpuBackend.enabled = false; }

    @AfterAll
    static void unload() throws Exception { EmulatedGpuBackend.closeAll(); }

    private static void enable() {
        assumeTrue(EmulatedDevice.isAvailable(), "no C compiler (cc) to build the emulated device");
        assumeFalse(CudaDriver.isAvailable(), "this machine has a GPU: the ptx-gpu backend takes gpu:0");
        EmulatedGpuBackend.enabled = true;
    }

    /** Five rounds of x <- 0.5 x + mean(x), a staged while loop. */
    private static final Function ROUNDS = Function.of((Tensor x) -> Tf.whileLoop(
            v -> v.get(0).less(Tf.constant(5)),
            v -> List.of(v.get(0).add(Tf.constant(1)), v.get(1).mul(0.5f).add(v.get(1).mean())),
            List.of(Tf.constant(0), x)).get(1));

    @Test
    void aFunctionWithALoopCalledInAGpuScopeRunsAsGpuKernelsAndMatchesTheHost() {
        enable();
        Tensor x = Tf.constant(new float[] {1, -2, 3.5f, 8, 0.25f, -7});
        Tensor onHost = ROUNDS.call(x);
        Tensor onGpu;
        try (var gpu = Tf.device("gpu:0")) {
            onGpu = ROUNDS.call(x);
        }
        assertEquals(Device.CPU, onHost.device());
        assertEquals(GPU0, onGpu.device());
        assertArrayEquals(onHost.toFloatArray(), onGpu.toFloatArray(), 1e-5f);
        assertEquals(1, ROUNDS.traceCount());
    }

    @Test
    void eagerOpsInAGpuScopeRunAsKernelsAndStayOnTheDevice() {
        enable();
        Tensor a = Tf.constant(new float[][] {{1, 2, 3}, {4, 5, 6}}), b = Tf.constant(new float[] {0.5f, -1, 2});
        Tensor y;
        try (var gpu = Tf.device("gpu:0")) {
            y = a.mul(b).sum(1);
        }
        assertEquals(GPU0, y.device());
        assertArrayEquals(a.mul(b).sum(1).toFloatArray(), y.cpu().toFloatArray(), 1e-6f);
        assertEquals(Device.CPU, y.cpu().device());
        try (var gpu = Tf.device("gpu:0")) {
            Exception sin = assertThrows(Exception.class, () -> Tf.sin(b));
            assertTrue(sin.getMessage().startsWith("sin: the ptx-gpu backend has no GPU implementation of 'sin' on float32")
                    && sin.getMessage().endsWith("it was placed on /device:GPU:0: run it outside the Tf.device scope, on tensors "
                    + "copied with .cpu()"), sin.getMessage());
        }
        assertArrayEquals(new float[] {(float) Math.sin(0.5), (float) Math.sin(-1), (float) Math.sin(2)}, Tf.sin(b).toFloatArray(), 1e-6f);
    }

    @Test
    void aTrainStepOnTheGpuKeepsItsWeightsThereAndItsMemoryFlat() {
        enable();
        Function step = Function.of((Variable w, Tensor g) -> {
            w.assignSub(g.mul(0.5f));
            return w.read().mul(w.read()).sum();
        });
        Variable onHost = new Variable(Tf.constant(new float[] {1, 2, 3, 4}), "w");
        Variable onGpu = new Variable(Tf.constant(new float[] {1, 2, 3, 4}), "w");
        Tensor g = Tf.constant(new float[] {0.125f, -0.25f, 0.5f, 1});
        long base = Tf.memoryInfo("gpu:0").inUseBytes();
        Tensor gOnGpu = g.to("gpu:0");
        long afterFirst = 0;
        for (int i = 0; i < 50; i++) { // (1000 calls on the stand-in GPU: DeviceMemoryTest in the tracer)
            Tensor hostLoss = step.call(onHost, g), gpuLoss;
            try (var gpu = Tf.device("gpu:0")) {
                gpuLoss = step.call(onGpu, gOnGpu);
            }
            if (i % 10 == 0) assertEquals(hostLoss.floatValue(), gpuLoss.floatValue(), 1e-3f * Math.abs(hostLoss.floatValue()));
            gpuLoss.release();
            if (i == 0) afterFirst = Tf.memoryInfo("gpu:0").inUseBytes();
        }
        assertEquals(base + 16 + 16, afterFirst, "the gradient and the weights' device copy");
        assertEquals(afterFirst, Tf.memoryInfo("gpu:0").inUseBytes(), "flat over 50 calls");
        assertArrayEquals(onHost.value().toFloatArray(), onGpu.value().toFloatArray(), 1e-4f);
        onGpu.assign(Tf.constant(new float[] {0, 0, 0, 0}));
        assertEquals(base + 16, Tf.memoryInfo("gpu:0").inUseBytes(), "a host assignment frees the stale device copy");
        gOnGpu.release();
        assertEquals(base, Tf.memoryInfo("gpu:0").inUseBytes());
        assertThrows(Exception.class, gOnGpu::toFloatArray);
    }

    @Test
    void withoutAGpuTheErrorNamesTheDriverLibrary() {
        assumeFalse(CudaDriver.isAvailable(), "this machine has a CUDA driver");
        Tensor x = Tf.constant(new float[] {1, 2});
        try (var gpu = Tf.device("gpu:0")) {
            Exception e = assertThrows(Exception.class, () -> ROUNDS.call(x));
            assertTrue(e.getMessage().contains("ptx-gpu: no CUDA driver: " + CudaDriver.LIBRARY), e.getMessage());
        }
        Exception copy = assertThrows(Exception.class, () -> x.to("gpu:0"));
        assertTrue(copy.getMessage().contains(CudaDriver.LIBRARY), copy.getMessage());
        Exception backend = assertThrows(Exception.class, () -> ROUNDS.withBackend("ptx-gpu").call(x));
        assertTrue(backend.getMessage().contains("backend 'ptx-gpu' is not available on this machine: no CUDA driver"), backend.getMessage());
    }
}
