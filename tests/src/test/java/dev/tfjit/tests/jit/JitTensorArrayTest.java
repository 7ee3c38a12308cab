package dev.tfjit.tests.jit;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorArray;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A TensorArray written inside a staged while loop compiles to native code and equals the
 * interpreter: of a fixed size, and dynamically sized (it grows by a run-time count; its stack
 * comes back with the count as its leading dim).
 */
class JitTensorArrayTest {
    private static Function squares() {
        // squares[i] = i * i for i in tf.range(n); then read back element 2
        return Function.of((Tensor n) -> {
            TensorArray ta = TensorArray.of(DType.INT32, 5, false, Shape.SCALAR);
            List<Tensor> out = Tf.forRange(Tf.constant(0), n, Tf.constant(1), List.of(ta.flow()),
                    (i, vars) -> List.of(ta.withFlow(vars.get(0)).write(i, i.mul(i)).flow()));
            TensorArray done = ta.withFlow(out.get(0));
            return done.stack().add(done.read(2));
        });
    }

    @Test
    void aWhileLoopWritingSquaresRunsOnLlvmCpuAndMatchesTheInterpreter() {
        Function jit = squares().withJitCompile(true);
        assertArrayEquals(new int[] {4, 5, 8, 13, 20}, jit.call(Tf.constant(5)).toIntArray());
        assertEquals("llvm-cpu", jit.concreteFunctions().get(0).backendName());
        JitCompiledFunctionTest.assertSameOnBothBackends(squares(), Tf.constant(3));
        JitCompiledFunctionTest.assertSameOnBothBackends(squares(), Tf.constant(0));
    }

    @Test
    void writingPastTheSizeIsTheInterpretersBoundsError() {
        Function jit = squares().withJitCompile(true);
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> jit.call(Tf.constant(6)));
        assertTrue(e.getMessage().contains("but array is not resizeable and size is: 5"), e.getMessage());
    }

    /**
     * rows[i] = [i, i * x] for i in tf.range(n), pushed onto a dynamically sized array; returns
     * its stack, size, element 1 and elements [n - 1, 0] gathered.
     */
    private static Function rows() {
        return Function.of((Tensor n, Tensor x) -> {
            TensorArray ta = TensorArray.of(DType.FLOAT32, 0, true, Shape.of(2));
            List<Shape> invariants = new ArrayList<>();
            invariants.add(null);
            invariants.add(ta.flowShapeInvariant());
            List<Tensor> out = Tf.whileLoop(v -> Tf.less(v.get(0), n), v -> {
                Tensor i = Tf.cast(v.get(0), DType.FLOAT32);
                Tensor row = Tf.stack(List.of(i, i.mul(x)));
                return List.of(v.get(0).add(1), ta.withFlow(v.get(1)).write(v.get(0), row).flow());
            }, List.of(Tf.constant(0), ta.flow()), invariants);
            TensorArray done = ta.withFlow(out.get(1));
            Tensor last = n.sub(Tf.constant(1));
            return List.of(done.stack(), done.size(), done.read(1), done.gather(Tf.stack(List.of(last, Tf.constant(0)))));
        });
    }

    @Test
    void aDynamicallySizedArrayGrowsInACompiledLoopAndItsStackIsReturned() {
        Function jit = rows().withJitCompile(true);
        List<Tensor> out = jit.callAll(Tf.constant(300), Tf.constant(0.5f));
        assertEquals(Shape.of(300, 2), out.get(0).shape());
        assertEquals(149.5f, out.get(0).toFloatArray()[599]);
        assertEquals(300, out.get(1).intValue());
        assertArrayEquals(new float[] {1, 0.5f}, out.get(2).toFloatArray());
        assertEquals("llvm-cpu", jit.concreteFunctions().get(0).backendName());
        for (int n : new int[] {2, 3, 300}) JitCompiledFunctionTest.assertSameOnBothBackends(rows(), Tf.constant(n), Tf.constant(0.5f));
        assertEquals(1, jit.traceCount(), "one trace and one kernel whatever the trip count");
    }

    @Test
    void readingAnElementTheLoopDidNotPushIsTheInterpretersError() {
        Function jit = rows().withJitCompile(true), interpreted = rows();
        for (int n : new int[] {0, 1}) {
            InvalidArgumentError want = assertThrows(InvalidArgumentError.class, () -> interpreted.callAll(Tf.constant(n), Tf.constant(1f)));
            InvalidArgumentError got = assertThrows(InvalidArgumentError.class, () -> jit.callAll(Tf.constant(n), Tf.constant(1f)));
            assertEquals(want.getMessage(), got.getMessage());
            assertTrue(got.getMessage().contains("Tried to read from index 1 but array size is: " + n), got.getMessage());
        }
    }
}
