package dev.tfjit.tracer;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.TfException;
import dev.tfjit.runtime.Device;
import dev.tfjit.runtime.DeviceValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Device memory given back deterministically ({@link Tensor#release}), errors for released
 * tensors, flat memory over many calls, and variables kept on the device across calls: on the
 * stand-in GPU ({@link InterpretedGpu}), which counts its uploads, downloads and live bytes.
 */
@ExtendWith(InterpretedGpu.On.class)
class DeviceMemoryTest {
    private static final Device GPU0 = new Device(Device.Kind.GPU, 0);

    private static long inUse() { return Tf.memoryInfo("gpu:0").inUseBytes(); }

    private static Tensor a() { return Tf.constant(new float[] {1, 2, 3}); }

    @Test
    void releasingGivesTheMemoryBackAtOnce() {
        long base = inUse();
        Tensor g = a().to("gpu:0");
        Tensor sum;
        try (var gpu = Tf.device("gpu:0")) {
            sum = g.add(g).mul(g); // the intermediate sum is unreachable but not yet collected
        }
        assertTrue(inUse() >= base + 2 * 12, "g and the result live: " + Tf.memoryInfo("gpu:0"));
        assertArrayEquals(new float[] {2, 8, 18}, sum.toFloatArray());
        g.release();
        sum.release();
        sum.release(); // twice: harmless
        assertTrue(g.isReleased() && sum.isReleased());
        System.gc(); // the unreleased intermediate may go too; never below the baseline
        assertTrue(inUse() <= base + 12, "only the unreleased intermediate may be left: " + Tf.memoryInfo("gpu:0"));
        assertTrue(Tf.memoryInfo("gpu:0").peakBytes() >= base + 3 * 12);
    }

    @Test
    void releasingOnlyWhatWasMadeReturnsExactlyToTheBaseline() {
        long base = inUse();
        Tensor g = a().to("gpu:0");
        assertEquals(base + 12, inUse());
        Function f = Function.of((Tensor x) -> x.mul(x).add(1f));
        Tensor y = f.call(g);
        assertEquals(base + 24, inUse(), "the argument and the result");
        y.release();
        g.release();
        assertEquals(base, inUse());
    }

    @Test
    void usingAReleasedTensorIsAClearErrorOnEveryDevice() {
        Tensor g = a().to("gpu:0");
        g.release();
        assertEquals(GPU0, g.device(), "where it was stays known");
        TfException op = assertThrows(TfException.class, () -> g.add(g));
        assertTrue(op.getMessage().startsWith("add: this float32 tensor of shape (3,) on /device:GPU:0 was released (Tensor.release())"
                + " and cannot be used any more"), op.getMessage());
        TfException read = assertThrows(TfException.class, g::toFloatArray);
        assertTrue(read.getMessage().startsWith("this float32 tensor of shape (3,) on /device:GPU:0 was released"), read.getMessage());
        assertThrows(TfException.class, g::cpu);
        assertThrows(TfException.class, () -> g.to("gpu:0"));
        Function f = Function.of((Tensor x) -> x.neg());
        TfException call = assertThrows(TfException.class, () -> f.call(g));
        assertTrue(call.getMessage().contains("was released"), call.getMessage());
        assertEquals("tf.Tensor(<released>, shape=(3,), dtype=float32, device=/device:GPU:0)", g.toString());

        Tensor h = a(); // the host: the same rule, so code tested there fails the same way on a GPU
        h.release();
        TfException host = assertThrows(TfException.class, () -> h.mul(h));
        assertTrue(host.getMessage().startsWith("mul: this float32 tensor of shape (3,) on /device:CPU:0 was released"), host.getMessage());
        assertThrows(TfException.class, h::item);
    }

    @Test
    void releasingASymbolicTensorWhileTracingDoesNothing() {
        Function f = Function.of((Tensor x) -> {
            Tensor y = x.mul(2f);
            y.release();
            return y.add(1f);
        });
        assertArrayEquals(new float[] {3, 5, 7}, f.call(a()).toFloatArray());
    }

    @Test
    void aReleaseDuringACallOnAnotherThreadFreesWhenTheCallEnds() {
        DeviceValue v = new InterpretedGpu().upload(a().buffer());
        DeviceHandle h = new DeviceHandle(v);
        int live = InterpretedGpu.live.get();
        assertSame(v, h.beginUse());
        h.release();
        assertEquals(live, InterpretedGpu.live.get(), "still used by the call: not freed yet");
        assertNull(h.beginUse(), "no new use after release");
        h.endUse();
        assertEquals(live - 1, InterpretedGpu.live.get(), "freed when the call ended");
        h.release();
        assertEquals(live - 1, InterpretedGpu.live.get());
    }

    @Test
    void aThousandCallsReleasingTheirResultsKeepMemoryFlat() {
        Variable total = new Variable(Tf.constant(new float[] {0, 0, 0}), "total");
        Function step = Function.of((Tensor x) -> {
            total.assignAdd(x);
            return total.read().mul(x).sum();
        });
        Tensor x = a().to("gpu:0");
        step.call(x).release(); // first call: traces and makes the variable's device copy
        long after1 = inUse(), peak1 = Tf.memoryInfo("gpu:0").peakBytes();
        for (int i = 0; i < 1000; i++) {
            Tensor loss = step.call(x);
            loss.release();
        }
        assertEquals(after1, inUse(), "nothing accumulates: results released, old variable copies freed");
        assertTrue(Tf.memoryInfo("gpu:0").peakBytes() <= peak1 + 16, "peak " + Tf.memoryInfo("gpu:0") + " vs " + peak1);
        assertArrayEquals(new float[] {1001, 2002, 3003}, total.value().toFloatArray());
    }

    @Test
    void aVariableIsUploadedOnceForManyCallsAndAgainAfterAHostAssign() {
        Variable w = new Variable(Tf.constant(new float[] {1, 1, 1}), "w");
        Function read = Function.of((Tensor x) -> w.read().mul(x)).withBackend("interpreted-gpu");
        Tensor x = a().to("gpu:0");
        int up = InterpretedGpu.uploads.get();
        for (int i = 0; i < 50; i++) read.call(x).release();
        assertEquals(up + 1, InterpretedGpu.uploads.get(), "one upload of w for 50 calls");
        w.assign(Tf.constant(new float[] {2, 2, 2}));
        Tensor y = read.call(x);
        assertEquals(up + 2, InterpretedGpu.uploads.get(), "the host assignment made the device copy stale");
        assertArrayEquals(new float[] {2, 4, 6}, y.toFloatArray());
    }

    @Test
    void assignmentsOnTheDeviceStayThereUntilTheHostReadsThem() {
        Function sgd = Function.of((Variable v, Tensor g) -> {
            v.assignSub(g.mul(0.5f));
            return v.read().sum();
        });
        Variable onHost = new Variable(Tf.constant(new float[] {1, 2, 3}), "w");
        Variable onGpu = new Variable(Tf.constant(new float[] {1, 2, 3}), "w");
        Tensor g = Tf.constant(new float[] {0.25f, -1, 2});
        Tensor gOnGpu = g.to("gpu:0");
        int up = InterpretedGpu.uploads.get(), down = InterpretedGpu.downloads.get();
        for (int i = 0; i < 20; i++) {
            sgd.call(onHost, g);
            try (var gpu = Tf.device("gpu:0")) {
                sgd.call(onGpu, gOnGpu).release();
            }
        }
        assertEquals(up + 1, InterpretedGpu.uploads.get(), "the weights went up once");
        assertEquals(down, InterpretedGpu.downloads.get(), "and did not come back on every call");
        assertArrayEquals(onHost.value().toFloatArray(), onGpu.value().toFloatArray(), "the host sees the device's assignments");
        assertEquals(down + 1, InterpretedGpu.downloads.get(), "read back once, when read");
        onGpu.value();
        assertTrue(onGpu.toString().contains("numpy=array([ -1.5,  12. , -17. ]"), onGpu.toString());
        assertEquals(down + 1, InterpretedGpu.downloads.get(), "the read-back value is kept until the next assignment");

        Tensor hostStep = sgd.call(onGpu, g); // a host call reads the latest value and assigns on the host
        assertArrayEquals(new float[] {-1.625f, 12.5f, -18}, onGpu.value().toFloatArray(), 1e-6f);
        assertEquals(Device.CPU, hostStep.device());
        try (var gpu = Tf.device("gpu:0")) {
            sgd.call(onGpu, gOnGpu).release();
        }
        assertEquals(up + 2, InterpretedGpu.uploads.get(), "the host assignment is uploaded on the next device call");
        assertArrayEquals(new float[] {-1.75f, 13, -19}, onGpu.value().toFloatArray(), 1e-6f);
    }

    @Test
    void memoryInfoIsForDevicesWithTheirOwnMemory() {
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> Tf.memoryInfo("cpu"));
        assertTrue(e.getMessage().contains("not /device:CPU:0"), e.getMessage());
        assertEquals(0, Tf.memoryInfo("/device:GPU:0").cachedBytes(), "the stand-in keeps no pool");
    }
}
