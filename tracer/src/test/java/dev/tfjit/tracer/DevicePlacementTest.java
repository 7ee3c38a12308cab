package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.TfException;
import dev.tfjit.runtime.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code Tf.device} scopes, tensors that know their device, explicit copies, copies at function
 * boundaries, and the error without a GPU: checked on a stand-in GPU ({@link InterpretedGpu})
 * whose memory the tests can count.
 */
@ExtendWith(InterpretedGpu.On.class)
class DevicePlacementTest {
    private static final Device GPU0 = new Device(Device.Kind.GPU, 0);

    private static Tensor a() { return Tf.constant(new float[] {1, 2, 3}); }

    private static Tensor b() { return Tf.constant(new float[] {4, -5, 0.5f}); }

    @Test
    void deviceNamesParseAsTensorFlowWritesThem() {
        for (String s : new String[] {"gpu:0", "GPU:0", "/gpu:0", "/device:GPU:0", "gpu"}) assertEquals(GPU0, Device.parse(s), s);
        assertEquals(new Device(Device.Kind.GPU, 2), Device.parse("/device:GPU:2"));
        for (String s : new String[] {"cpu", "CPU:0", "/cpu:0", "/device:CPU:0"}) assertEquals(Device.CPU, Device.parse(s), s);
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Device.parse("tpu:0"));
        assertTrue(e.getMessage().contains("invalid device 'tpu:0'"), e.getMessage());
        assertThrows(InvalidArgumentError.class, () -> Device.parse("cpu:1"));
    }

    @Test
    void scopesNestTheInnermostWinsAndCloseInOrder() {
        assertEquals(Device.CPU, Tf.currentDevice());
        try (DeviceScope gpu = Tf.device("gpu:0")) {
            assertEquals(GPU0, Tf.currentDevice());
            try (DeviceScope cpu = Tf.device("/cpu:0")) {
                assertEquals(Device.CPU, Tf.currentDevice());
                assertEquals(Device.CPU, cpu.device());
            }
            assertEquals(GPU0, Tf.currentDevice());
            DeviceScope inner = Tf.device("gpu:0");
            IllegalStateException order = assertThrows(IllegalStateException.class, gpu::close);
            assertTrue(order.getMessage().contains("out of order"), order.getMessage());
            inner.close();
        }
        assertEquals(Device.CPU, Tf.currentDevice());
    }

    @Test
    void eagerOpsInAGpuScopeRunThereAndTheirResultsStay() {
        Tensor x = a(), y = b();
        Tensor sum;
        try (var gpu = Tf.device("gpu:0")) {
            sum = x.add(y);
        }
        assertEquals(GPU0, sum.device());
        assertEquals(2, InterpretedGpu.uploads.get(), "both host inputs were copied to the device for the op");
        assertEquals(0, InterpretedGpu.downloads.get(), "the result stayed on the device");
        Tensor twice = sum.add(sum); // outside any scope: runs where its inputs are
        assertEquals(GPU0, twice.device());
        assertArrayEquals(new float[] {10, -6, 7}, twice.toFloatArray(), "reading values copies to the host");
        assertEquals(1, InterpretedGpu.downloads.get());
        twice.toFloatArray();
        assertEquals(1, InterpretedGpu.downloads.get(), "once");
        assertTrue(twice.toString().startsWith("tf.Tensor([10. -6.  7.]"), twice.toString());
    }

    @Test
    void copiesBetweenHostAndDeviceAreExplicit() {
        Tensor x = a();
        Tensor g = x.to("gpu:0");
        assertEquals(GPU0, g.device());
        assertSame(g, g.to("/device:GPU:0"), "already there");
        Tensor back = g.cpu();
        assertEquals(Device.CPU, back.device());
        assertArrayEquals(x.toFloatArray(), back.toFloatArray());
        assertSame(x, x.cpu());

        TfException mixed = assertThrows(TfException.class, () -> g.add(x));
        assertTrue(mixed.getMessage().startsWith("add: input 0 is on /device:GPU:0 and input 1 on /device:CPU:0; copy one explicitly"),
                mixed.getMessage());
        try (var cpu = Tf.device("cpu")) {
            TfException onCpu = assertThrows(TfException.class, () -> g.mul(x));
            assertTrue(onCpu.getMessage().contains("input 0 is on /device:GPU:0 and the op runs on /device:CPU:0"), onCpu.getMessage());
            assertEquals(Device.CPU, x.mul(x).device(), "host tensors in a CPU scope run on the host as ever");
        }
        assertEquals(GPU0, g.mul(x.to("gpu:0")).device());
    }

    @Test
    void aFunctionCalledInAGpuScopeRunsThereWithCopiesAtItsBoundaryAndOneTrace() {
        Function f = Function.of((Tensor x, Tensor y) -> x.mul(y).add(1f));
        Tensor onHost = f.call(a(), b());
        assertEquals(Device.CPU, onHost.device());
        Tensor x = a(), y = b(), onGpu;
        int liveBefore = InterpretedGpu.live.get();
        try (var gpu = Tf.device("gpu:0")) {
            onGpu = f.call(x, y);
        }
        assertEquals(GPU0, onGpu.device());
        assertEquals(1, f.traceCount(), "one trace serves both devices");
        assertEquals(1, InterpretedGpu.runs.get(), "one program run for the whole function");
        assertEquals(2, InterpretedGpu.uploads.get());
        assertEquals(liveBefore + 1, InterpretedGpu.live.get(), "the arguments' copies were freed after the call; the result lives on");
        assertArrayEquals(onHost.toFloatArray(), onGpu.toFloatArray());

        Tensor again = f.call(onGpu, onGpu); // arguments on the device: the call runs there, without copies
        assertEquals(GPU0, again.device());
        assertEquals(2, InterpretedGpu.uploads.get());
        assertArrayEquals(new float[] {26, 82, 7.25f}, again.toFloatArray(), 1e-5f);
    }

    @Test
    void aFunctionWithADeviceBackendRunsOnItsDeviceAndAssignedVariablesComeBackToTheHost() {
        Variable total = new Variable(Tf.constant(new float[] {0, 0, 0}), "total");
        Function f = Function.of((Tensor x) -> {
            total.assignAdd(x);
            return total.read().mul(2f);
        }).withBackend("interpreted-gpu");
        Tensor r = f.call(a());
        f.call(a());
        assertEquals(GPU0, r.device());
        assertArrayEquals(new float[] {2, 4, 6}, total.value().toFloatArray(), "the host variable has the new value");
        assertArrayEquals(new float[] {2, 4, 6}, r.toFloatArray());
        assertEquals(DType.FLOAT32, r.dtype());
    }

    @Test
    void withoutAGpuPlacingAnythingThereSaysWhatIsMissing() {
        InterpretedGpu.enabled = false;
        Tensor x = a();
        TfException copy = assertThrows(TfException.class, () -> x.to("gpu:0"));
        assertTrue(copy.getMessage().contains("no backend can run on /device:GPU:0 here: interpreted-gpu: the test has not enabled it"),
                copy.getMessage());
        try (var gpu = Tf.device("gpu:0")) {
            TfException op = assertThrows(TfException.class, () -> x.add(x));
            assertTrue(op.getMessage().startsWith("add: no backend can run on /device:GPU:0"), op.getMessage());
            Function f = Function.of((Tensor t) -> t.neg());
            TfException call = assertThrows(TfException.class, () -> f.call(x));
            assertTrue(call.getMessage().contains("no backend can run on /device:GPU:0"), call.getMessage());
        }
        TfException two = assertThrows(TfException.class, () -> x.to("gpu:1"));
        assertTrue(two.getMessage().startsWith("no backend runs on /device:GPU:1"), two.getMessage());
    }
}
