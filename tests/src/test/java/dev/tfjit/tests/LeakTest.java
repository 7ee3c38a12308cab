package dev.tfjit.tests;

import dev.tfjit.ir.NativeMemory;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Eager execution allocates a native result for every op; none of it may stay behind once the
 * tensors are unreachable, and tensors that are still reachable must keep their values however
 * hard the collector and the pool recycle memory around them.
 */
class LeakTest {
    private static final int LARGE = 1 << 20; // 4 MiB of float32

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aMillionEagerOpsLeaveNativeMemoryFlat() {
        Tensor x = Tf.constant(3f);
        float[] data = new float[LARGE];
        for (int i = 0; i < LARGE; i++) data[i] = i % 7;
        Tensor big = Tf.constant(data, LARGE);
        for (int i = 0; i < 20_000; i++) x.mul(2f).add(1f); // warm up the pool and the JIT
        NativeMemory.awaitReleases();
        long baseline = NativeMemory.liveBytes();

        long ops = 0;
        Tensor lastLarge = null;
        List<Long> afterEachRound = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 25_000; i++) {
                x.mul(2f).add(1f); // 4 ops: two scalar constants, mul, add
                ops += 4;
                if (i % 1_000 == 0) {
                    lastLarge = big.add(big).neg();
                    ops += 2;
                }
            }
            NativeMemory.awaitReleases();
            afterEachRound.add(NativeMemory.liveBytes() - baseline);
        }
        assertTrue(ops >= 1_000_000, "ran " + ops + " ops");
        assertEquals(-2f * ((LARGE - 1) % 7), lastLarge.toFloatArray()[LARGE - 1], "the last large result is intact");
        // Each round leaks 100k scalars (6 MB at 64 bytes each) and 25 large results (200 MB) if anything is retained.
        long slack = 4L * LARGE + (4 * 32 << 10); // the large result still held, and a few partly used chunks of small buffers
        for (int r = 0; r < afterEachRound.size(); r++) {
            assertTrue(afterEachRound.get(r) <= slack,
                    "native memory grew by " + afterEachRound.get(r) + " bytes after round " + r + ": " + afterEachRound);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void reachableTensorsKeepTheirValuesUnderGcPressure() {
        List<Tensor> kept = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int k = 0; k < 200; k++) {
            int n = k % 3 == 0 ? 1 : k % 3 == 1 ? 100 : 50_000; // chunk slices, small blocks, larger blocks
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = k * 1000 + i;
            // Keep only a derived tensor, so the inputs' memory is recycled around it.
            Tensor t = Tf.constant(v, n).mul(2f).neg();
            for (int i = 0; i < n; i++) v[i] = -2 * v[i];
            kept.add(t);
            expected.add(v);
            // Garbage of every size, written with other values, reusing whatever was freed.
            for (int g = 0; g < 20; g++) Tf.constant(new float[n], n).add(7f);
            if (k % 50 == 0) System.gc();
        }
        NativeMemory.awaitReleases();
        for (int k = 0; k < kept.size(); k++) {
            assertArrayEquals(expected.get(k), kept.get(k).toFloatArray(), "tensor " + k + " was overwritten");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aMillionCompiledCallsLeaveNativeMemoryFlat() {
        // The llvm-cpu backend allocates each call's results and scratch from the same pool.
        Function scalar = Function.of((Tensor t) -> t.mul(2f).add(1f)).withJitCompile(true);
        Function large = Function.of((Tensor t) -> Tf.reduceSum(Tf.exp(t.neg()), new int[] {0}, true).add(t))
                .withJitCompile(true); // a reduction and a 4 MiB result, both split across the worker pool
        Tensor x = Tf.constant(3f);
        float[] data = new float[LARGE];
        for (int i = 0; i < LARGE; i++) data[i] = (i % 7) * 0.01f;
        Tensor big = Tf.constant(data, LARGE);
        for (int i = 0; i < 20_000; i++) scalar.call(x); // compile, warm up the pool and the JIT
        Tensor lastLarge = large.call(big);
        NativeMemory.awaitReleases();
        long baseline = NativeMemory.liveBytes();

        long calls = 0;
        List<Long> afterEachRound = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 100_000; i++) {
                scalar.call(x);
                calls++;
                if (i % 5_000 == 0) {
                    lastLarge = large.call(big);
                    calls++;
                }
            }
            NativeMemory.awaitReleases();
            afterEachRound.add(NativeMemory.liveBytes() - baseline);
        }
        assertTrue(calls >= 1_000_000, "ran " + calls + " calls");
        assertEquals(7f, scalar.call(x).floatValue());
        assertEquals(big.toFloatArray().length, lastLarge.toFloatArray().length, "the last large result is intact");
        long slack = 4L * LARGE + (4 * 32 << 10); // the large result still held, and a few partly used chunks of small buffers
        for (int r = 0; r < afterEachRound.size(); r++) {
            assertTrue(afterEachRound.get(r) <= slack,
                    "native memory grew by " + afterEachRound.get(r) + " bytes after round " + r + ": " + afterEachRound);
        }
    }
}
