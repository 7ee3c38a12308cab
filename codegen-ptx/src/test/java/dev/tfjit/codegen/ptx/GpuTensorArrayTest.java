package dev.tfjit.codegen.ptx;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.runtime.Interpreter;
import dev.tfjit.ir.DType;
import dev.tfjit.runtime.cuda.CudaDriver;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorArray;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * TensorArrays on the ptx-gpu backend, on the emulated device: a staged while that writes a
 * fixed-size array and stacks it gives the interpreter's values, reads at run-time indices give
 * the right rows, and bad indices raise the interpreter's exact message with the index the
 * device saw; an array that grows at run time is refused at compile time, naming the write and
 * its source line. ({@link GpuCases} holds the randomized differential cases, which ptxas
 * assembles for every SM.)
 */
class GpuTensorArrayTest {
    /** for j in range(n): ta = ta.write(j, j*j); return ta.stack(), ta.read(r) */
    private static final String SQUARES = """
            func @squares(%n: i32[], %r: i64[]) -> (i32[5], i32[]) {
              %zero = constant {value=dense<i32[]: 0>} : i32[]
              %one = constant {value=dense<i32[]: 1>} : i32[]
              %zs = constant {value=dense<i32[]: 0>} : i32[]
              %z = broadcast_to %zs {shape=[5]} : i32[5]
              %cnt, %st = while %zero, %z : i32[], i32[5] {
              ^(%i: i32[], %ta: i32[5]):
                %c = less %i, %n : bool[]
                yield %c
              } {
              ^(%j: i32[], %tb: i32[5]):
                %sq = mul %j, %j : i32[]
                %w = tensor_array_write %tb, %j, %sq : i32[5] loc(Squares.java:7)
                %k = add %j, %one : i32[]
                yield %k, %w
              } loc(Squares.java:6)
              %x = tensor_array_read %st, %r : i32[] loc(Squares.java:9)
              return %st, %x
            }
            """;

    private static List<Buffer> run(String ir, Buffer... args) throws Throwable {
        assumeTrue(EmulatedDevice.isAvailable(), "no C compiler (cc) to build the emulated device");
        Graph g = Programs.parse(ir);
        List<Shape> shapes = java.util.Arrays.stream(args).map(Buffer::shape).toList();
        try (EmulatedDevice d = EmulatedDevice.load(PtxCompiler.compileWithIr(g, shapes, "sm_90", true))) {
            return d.run(List.of(args));
        }
    }

    private static Buffer i32(int v) { return Buffer.ofInts(Shape.SCALAR, v); }

    private static Buffer i64(long v) { return Buffer.ofLongs(Shape.SCALAR, v); }

    @Test
    void aWhileLoopWritesSquaresStacksThemAndReadsOneAtARuntimeIndex() throws Throwable {
        List<Buffer> out = run(SQUARES, i32(5), i64(3));
        assertArrayEquals(new int[]{0, 1, 4, 9, 16}, out.get(0).toIntArray());
        assertEquals(9, out.get(1).getLong(0));
        List<Buffer> partial = run(SQUARES, i32(2), i64(4)); // rows never written stay zero
        assertArrayEquals(new int[]{0, 1, 0, 0, 0}, partial.get(0).toIntArray());
        assertEquals(0, partial.get(1).getLong(0));
        List<Buffer> want = Interpreter.run(Programs.parse(SQUARES), List.of(i32(4), i64(1)));
        List<Buffer> got = run(SQUARES, i32(4), i64(1));
        for (int i = 0; i < want.size(); i++) GpuCases.assertClose(want.get(i), got.get(i), 0, "result " + i);
    }

    @Test
    void writingPastTheFixedSizeStopsTheLoopWithTheInterpretersMessage() {
        InvalidArgumentError want = assertThrows(InvalidArgumentError.class,
                () -> Interpreter.run(Programs.parse(SQUARES), List.of(i32(8), i64(0))));
        InvalidArgumentError got = assertThrows(InvalidArgumentError.class, () -> run(SQUARES, i32(8), i64(0)));
        assertEquals(want.getMessage(), got.getMessage());
        assertTrue(got.getMessage().contains("Tried to write to index 5 but array is not resizeable and size is: 5"), got.getMessage());
        assertTrue(got.getMessage().contains("Squares.java:7"), got.getMessage());
    }

    @Test
    void readingOutOfRangeNamesTheIndexTheDeviceRead() {
        for (long bad : new long[]{5, 1L << 40, -1}) {
            InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> run(SQUARES, i32(5), i64(bad)));
            assertTrue(e.getMessage().contains("Tried to read from index " + bad + " but array size is: 5"), e.getMessage());
            assertTrue(e.getMessage().startsWith("tensor_array_read: ") && e.getMessage().contains("Squares.java:9"), e.getMessage());
        }
    }

    @Test
    void anArrayThatGrowsAtRunTimeIsRefusedNamingTheWriteAndItsLine() {
        String push = """
                func @push(%n: i32[], %init: f32[0,3], %v: f32[3]) -> f32[?,3] {
                  %zero = constant {value=dense<i32[]: 0>} : i32[]
                  %one = constant {value=dense<i32[]: 1>} : i32[]
                  %cnt, %ta = while %zero, %init : i32[], f32[?,3] {
                  ^(%i: i32[], %a: f32[?,3]):
                    %c = less %i, %n : bool[]
                    yield %c
                  } {
                  ^(%j: i32[], %b: f32[?,3]):
                    %w = tensor_array_write %b, %j, %v {dynamic_size=true} : f32[?,3] loc(Push.java:9)
                    %k = add %j, %one : i32[]
                    yield %k, %w
                  } loc(Push.java:8)
                  return %ta
                }
                """;
        UnimplementedError e = assertThrows(UnimplementedError.class,
                () -> Programs.compile(push, Shape.SCALAR, Shape.of(0, 3), Shape.of(3)));
        assertTrue(e.getMessage().startsWith("tensor_array_write: "), e.getMessage());
        assertTrue(e.getMessage().contains("dynamically sized TensorArrays that grow at run time"), e.getMessage());
        assertTrue(e.getMessage().contains("Push.java:9"), e.getMessage());
    }

    @Test
    void aDynamicallySizedWriteAtACompileTimeIndexGrowsStatically() throws Throwable {
        String grow = """
                func @grow(%ta: f32[2,3], %v: f32[3]) -> f32[?,3] {
                  %four = constant {value=dense<i32[]: 4>} : i32[]
                  %w = tensor_array_write %ta, %four, %v {dynamic_size=true} : f32[?,3]
                  return %w
                }
                """;
        Buffer ta = Buffer.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6), v = Buffer.ofFloats(Shape.of(3), 7, 8, 9);
        Buffer got = run(grow, ta, v).getFirst();
        assertEquals(Shape.of(5, 3), got.shape());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0, 7, 8, 9}, got.toFloatArray());
    }

    /** for i in range(4): ta = ta.write(i, x * i); return ta.stack() and ta.read(2), traced by the tracer. */
    private static final Function WRITES = Function.of((Tensor x) -> {
        TensorArray ta = TensorArray.of(DType.FLOAT32, 4, false, Shape.of(3));
        List<Tensor> out = Tf.whileLoop(v -> Tf.less(v.get(0), Tf.constant(4)),
                v -> List.of(v.get(0).add(1), ta.withFlow(v.get(1)).write(v.get(0), x.mul(Tf.cast(v.get(0), DType.FLOAT32))).flow()),
                List.of(Tf.constant(0), ta.flow()));
        TensorArray done = ta.withFlow(out.get(1));
        return done.stack().add(done.read(2));
    });

    @AfterAll
    static void unload() throws Exception { EmulatedGpuBackend.closeAll(); }

    @Test
    void aTracedWhileThatWritesAFixedSizeTensorArrayRunsOnTheGpuInADeviceScope() {
        assumeTrue(EmulatedDevice.isAvailable(), "no C compiler (cc) to build the emulated device");
        assumeFalse(CudaDriver.isAvailable(), "this machine has a GPU: the ptx-gpu backend takes gpu:0");
        Tensor x = Tf.constant(new float[] {1, -2, 0.5f});
        Tensor onHost = WRITES.call(x), onGpu;
        EmulatedGpuBackend.enabled = true;
        try (var gpu = Tf.device("gpu:0")) {
            onGpu = WRITES.call(x);
        } finally {
            EmulatedGpuBackend.enabled = false;
        }
        assertEquals(dev.tfjit.runtime.Device.Kind.GPU, onGpu.device().kind());
        assertArrayEquals(new float[] {2, -4, 1, 3, -6, 1.5f, 4, -8, 2, 5, -10, 2.5f}, onHost.toFloatArray());
        assertArrayEquals(onHost.toFloatArray(), onGpu.toFloatArray());
    }
}
