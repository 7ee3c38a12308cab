package dev.tfjit.tracer.data;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A dataset's element spec is what a train step's input signature needs, so the step traces once. */
class DatasetFeedsAFunctionTest {

    @Test
    void theElementSpecAsInputSignatureMeansOneTraceForEveryBatchSize() {
        Dataset<List<Tensor>> ds = Dataset.fromTensorSlices(Tf.reshape(Tf.range(0f, 20f, 1f), new int[] {10, 2}), Tf.range(0L, 10L, 1L))
                .batch(4);
        TensorSpec[] signature = ds.elementSpec().components().toArray(TensorSpec[]::new);
        assertEquals(TensorSpec.of(DType.FLOAT32, "?", 2), signature[0]);
        Function step = Function.of((Tensor x, Tensor y) -> Tf.reduceSum(x).add(Tf.cast(Tf.reduceSum(y), DType.FLOAT32)))
                .withInputSignature(signature);
        float total = 0;
        for (List<Tensor> b : ds) total += step.call(b.get(0), b.get(1)).floatValue();
        assertEquals(190f + 45f, total, "batches of 4, 4 and 2 all ran");
        assertEquals(1, step.traceCount());
    }
}
