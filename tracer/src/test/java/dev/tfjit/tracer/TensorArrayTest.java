package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.IrPrinter;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TensorArrayTest {
    @Test
    void writeReadAndStack() {
        TensorArray ta = TensorArray.of(DType.FLOAT32, 3);
        ta = ta.write(0, Tf.constant(new float[] {1, 2})).write(2, Tf.constant(new float[] {5, 6}));
        assertArrayEquals(new float[] {5, 6}, ta.read(2).toFloatArray());
        assertArrayEquals(new float[] {0, 0}, ta.read(1).toFloatArray(), "an unwritten element reads as zeros");
        Tensor stacked = ta.stack();
        assertEquals(Shape.of(3, 2), stacked.shape());
        assertArrayEquals(new float[] {1, 2, 0, 0, 5, 6}, stacked.toFloatArray());
        assertEquals(3, ta.size().intValue());
        assertArrayEquals(new float[] {5, 6, 1, 2}, ta.gather(Tf.constant(new int[] {2, 0})).toFloatArray());
    }

    @Test
    void writesReturnANewArray() {
        TensorArray empty = TensorArray.of(DType.INT32, 2, false, Shape.SCALAR);
        TensorArray one = empty.write(0, Tf.constant(7));
        assertEquals(0, empty.read(0).intValue());
        assertEquals(7, one.read(0).intValue());
    }

    @Test
    void fixedSizeArraysRejectWritesAndReadsOutOfRange() {
        TensorArray ta = TensorArray.of(DType.FLOAT32, 2).write(0, Tf.constant(1f));
        TfException w = assertThrows(InvalidArgumentError.class, () -> ta.write(2, Tf.constant(3f)));
        assertTrue(w.getMessage().contains("Tried to write to index 2 but array is not resizeable and size is: 2"), w.getMessage());
        TfException r = assertThrows(InvalidArgumentError.class, () -> ta.read(5));
        assertTrue(r.getMessage().contains("Tried to read from index 5 but array size is: 2"), r.getMessage());
    }

    @Test
    void dynamicArraysGrow() {
        TensorArray ta = TensorArray.of(DType.INT32, 0, true);
        for (int i = 0; i < 4; i++) ta = ta.write(i, Tf.constant(i * i));
        assertEquals(4, ta.size().intValue());
        assertArrayEquals(new int[] {0, 1, 4, 9}, ta.stack().toIntArray());
        TensorArray skipped = TensorArray.of(DType.INT32, 1, true).write(3, Tf.constant(8));
        assertArrayEquals(new int[] {0, 0, 0, 8}, skipped.stack().toIntArray());
    }

    @Test
    void elementsMustKeepDtypeAndShape() {
        TensorArray ta = TensorArray.of(DType.FLOAT32, 2).write(0, Tf.constant(new float[] {1, 2}));
        TfException shape = assertThrows(InvalidArgumentError.class, () -> ta.write(1, Tf.constant(new float[] {1, 2, 3})));
        assertTrue(shape.getMessage().contains("Incompatible shape for value ((3,)), expected ((2,))"), shape.getMessage());
        TfException dtype = assertThrows(TfException.class, () -> ta.write(1, Tf.constant(new int[] {1, 2})));
        assertTrue(dtype.getMessage().contains("TensorArray dtype is float32 but Op is trying to write dtype int32"), dtype.getMessage());
    }

    @Test
    void unstackSplitsTheLeadingAxis() {
        TensorArray ta = TensorArray.of(DType.FLOAT32, 3).unstack(Tf.constant(new float[][] {{1, 2}, {3, 4}, {5, 6}}));
        assertArrayEquals(new float[] {3, 4}, ta.read(1).toFloatArray());
        assertEquals(3, ta.size().intValue());
        TfException e = assertThrows(InvalidArgumentError.class, () -> TensorArray.of(DType.FLOAT32, 2).unstack(Tf.constant(new float[] {1, 2, 3})));
        assertTrue(e.getMessage().contains("Cannot unstack 3 tensors into a TensorArray of static size 2"), e.getMessage());
    }

    @Test
    void stackingWithNoElementShapeIsAnError() {
        TfException e = assertThrows(InvalidArgumentError.class, () -> TensorArray.of(DType.FLOAT32, 0, true).stack());
        assertTrue(e.getMessage().contains("Tried to stack elements of an empty list with non-fully-defined element_shape"), e.getMessage());
        assertTrue(assertThrows(TfException.class, () -> TensorArray.of(DType.FLOAT32, 2).flow()).getMessage().contains("elementShape"));
    }

    @Test
    void isLoopCarriedStateInAStagedWhile() {
        // squares[i] = i * i for i in tf.range(n), with n a tensor: one staged while, whatever n is
        Function squares = Function.of((Tensor n) -> {
            TensorArray ta = TensorArray.of(DType.INT32, 5, false, Shape.SCALAR);
            List<Tensor> out = Tf.forRange(Tf.constant(0), n, Tf.constant(1), List.of(ta.flow()),
                    (i, vars) -> List.of(ta.withFlow(vars.get(0)).write(i, i.mul(i)).flow()));
            return ta.withFlow(out.get(0)).stack();
        });
        assertArrayEquals(new int[] {0, 1, 4, 9, 16}, squares.call(Tf.constant(5)).toIntArray());
        assertArrayEquals(new int[] {0, 1, 4, 0, 0}, squares.call(Tf.constant(3)).toIntArray());
        assertEquals(1, squares.traceCount());
        ConcreteFunction cf = squares.concreteFunctions().get(0);
        assertEquals(1, SeedFunctionExamplesTest.count(cf, "while"));
        assertTrue(IrPrinter.print(cf.graph()).contains("tensor_array_write"), IrPrinter.print(cf.graph()));
        assertThrows(InvalidArgumentError.class, () -> squares.call(Tf.constant(6)));
    }

    @Test
    void dynamicArrayGrowsInsideAStagedWhile() {
        Function range = Function.of((Tensor n) -> {
            TensorArray ta = TensorArray.of(DType.FLOAT32, 0, true, Shape.of(2));
            List<Shape> invariants = new ArrayList<>();
            invariants.add(null);
            invariants.add(ta.flowShapeInvariant());
            List<Tensor> out = Tf.whileLoop(v -> Tf.less(v.get(0), n),
                    v -> {
                        Tensor x = Tf.cast(v.get(0), DType.FLOAT32);
                        Tensor row = Tf.stack(List.of(x, x.mul(10f)));
                        return List.of(v.get(0).add(1), ta.withFlow(v.get(1)).write(v.get(0), row).flow());
                    },
                    List.of(Tf.constant(0), ta.flow()), invariants);
            TensorArray done = ta.withFlow(out.get(1));
            assertEquals(Shape.of(Shape.UNKNOWN, 2), done.stack().shape(), "while tracing the size is unknown");
            return done.stack();
        });
        assertArrayEquals(new float[] {0, 0, 1, 10, 2, 20}, range.call(Tf.constant(3)).toFloatArray());
        assertEquals(Shape.of(0, 2), range.call(Tf.constant(0)).shape());
        assertEquals(1, range.traceCount());
    }

    @Test
    void readsWithASymbolicIndexWhileTracing() {
        Function pick = Function.of((Tensor i) -> TensorArray.of(DType.INT32, 3).unstack(Tf.constant(new int[] {10, 20, 30})).read(i));
        assertEquals(20, pick.call(Tf.constant(1)).intValue());
        assertEquals(30, pick.call(Tf.constant(2)).intValue());
        assertEquals(1, pick.traceCount());
    }
}
