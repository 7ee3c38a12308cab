package dev.tfjit.tracer.data;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.IrPrinter;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code Dataset.reduce} inside a Function is one staged loop that reads the pipeline on every call. */
class StagedDatasetLoopTest {

    private static Dataset<List<Tensor>> pairs() {
        return Dataset.fromTensorSlices(Tf.reshape(Tf.range(0f, 20f, 1f), new int[] {10, 2}), Tf.range(0L, 10L, 1L)).batch(4);
    }

    @Test
    void aReduceOverBatchesIsOneWhileNodeAndRunsEveryCall() {
        Dataset<List<Tensor>> ds = pairs();
        Function total = Function.of((Tensor scale) -> ds.reduce(Tf.constant(0f),
                (Tensor s, List<Tensor> b) -> s.add(Tf.reduceSum(b.get(0)).mul(scale))
                        .add(Tf.cast(Tf.reduceSum(b.get(1)), DType.FLOAT32))));
        assertEquals(190f + 45f, total.call(Tf.constant(1f)).floatValue(), 0f, "batches of 4, 4 and 2 all ran");
        assertEquals(2 * 190f + 45f, total.call(Tf.constant(2f)).floatValue(), 0f, "a second call reads a fresh pass");
        assertEquals(1, total.traceCount());
        String ir = IrPrinter.print(total.concreteFunctions().get(0).tracedGraph());
        assertTrue(ir.contains("while"), ir);
        assertEquals(0, StagedPass.openPasses(), "exhausted passes are closed");
    }

    @Test
    void elementsAreNotBakedIntoTheGraph() {
        List<Tensor> source = new ArrayList<>(List.of(Tf.constant(1f), Tf.constant(2f)));
        Dataset<Tensor> ds = Dataset.fromIterable(source, ElementSpec.of(TensorSpec.of(DType.FLOAT32)));
        Function sum = Function.of(() -> ds.reduce(Tf.constant(0f), (Tensor s, Tensor x) -> s.add(x)));
        assertEquals(3f, sum.call().floatValue());
        source.add(Tf.constant(10f));
        assertEquals(13f, sum.call().floatValue(), "the staged loop sees the pipeline's current elements");
        assertEquals(1, sum.traceCount());
    }

    @Test
    void anEmptyDatasetLeavesTheInitialState() {
        Dataset<List<Tensor>> empty = pairs().take(0);
        Function f = Function.of(() -> empty.reduce(Tf.constant(7f), (Tensor s, List<Tensor> b) -> s.add(Tf.reduceSum(b.get(0)))));
        assertEquals(7f, f.call().floatValue());
    }

    @Test
    void aWholeEpochOfSgdInOneCallMatchesTheEagerLoop() {
        Dataset<List<Tensor>> ds = Dataset.fromTensorSlices(
                Tf.reshape(Tf.range(0f, 1f, 0.05f), new int[] {20, 1}), Tf.reshape(Tf.range(1f, 4f, 0.15f), new int[] {20, 1})).batch(6);
        java.util.function.BiFunction<List<Tensor>, List<Tensor>, List<Tensor>> sgd = (wb, batch) -> {
            Tensor w = wb.get(0), b = wb.get(1), x = batch.get(0), y = batch.get(1);
            Tensor err = Tf.add(Tf.matmul(x, w), b).sub(y);
            Tensor n = Tf.cast(Tf.size(y), DType.FLOAT32);
            Tensor gw = Tf.matmul(Tf.transpose(x), err).mul(2f).div(n), gb = Tf.reduceSum(err, 0).mul(2f).div(n);
            return List.of(w.sub(gw.mul(0.1f)), b.sub(gb.mul(0.1f)));
        };
        List<Tensor> init = List.of(Tf.zeros(new int[] {1, 1}, DType.FLOAT32), Tf.zeros(new int[] {1}, DType.FLOAT32));
        List<Tensor> eager = ds.reduce(init, sgd::apply);
        Function epoch = Function.of(() -> ds.reduce(init, sgd::apply));
        List<Tensor> staged = epoch.callAll();
        assertArrayEquals(eager.get(0).toFloatArray(), staged.get(0).toFloatArray());
        assertArrayEquals(eager.get(1).toFloatArray(), staged.get(1).toFloatArray());
    }

    @Test
    void aStateThatChangesDtypeIsRefusedWhenTraced() {
        Dataset<Tensor> ds = Dataset.range(3);
        Function f = Function.of(() -> ds.reduce(Tf.constant(0f), (Tensor s, Tensor x) -> Tf.cast(x, DType.INT64)));
        TfException e = assertThrows(TfException.class, f::call);
        assertTrue(e.getMessage().contains("Dataset.reduce: state component 0 changed dtype from float32 to int64"), e.getMessage());
    }

    @Test
    void aJavaLoopOverADatasetWhileTracingPointsToReduce() {
        Dataset<Tensor> ds = Dataset.range(3);
        Function f = Function.of(() -> {
            Tensor s = Tf.constant(0L);
            for (Tensor x : ds) s = s.add(x);
            return s;
        });
        TfException e = assertThrows(TfException.class, f::call);
        assertTrue(e.getMessage().contains("dataset.reduce"), e.getMessage());
    }
}
