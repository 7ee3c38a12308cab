package dev.tfjit.tests.jit;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorArray;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A TensorArray written inside a staged while loop compiles to native code and equals the interpreter. */
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
}
