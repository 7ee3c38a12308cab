package dev.tfjit.tests.goldens;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.util.Map;

/** Golden mappings for the reduce, matmul, topk_sort, norm, clip, softmax and loss families. */
final class ReductionAndNnGoldens {
    private ReductionAndNnGoldens() {}

    /** A {@code reduce_*} call: {@code axis} is None, an int or a list. */
    private interface Reduction {
        Tensor apply(Tensor x, int[] axes, boolean keepdims);
    }

    private static GoldenOp reduction(Reduction r) {
        return GoldenOp.single((in, a) -> r.apply(in.get(0), a.ints("axis"), a.bool("keepdims", false)));
    }

    private static DType outputType(Attributes a) {
        return DType.fromTfName(a.string("output_type", "int64"));
    }

    static void register(Map<String, GoldenOp> ops) {
        ops.put("reduce_sum", reduction(Tf::reduceSum));
        ops.put("reduce_mean", reduction(Tf::reduceMean));
        ops.put("reduce_max", reduction(Tf::reduceMax));
        ops.put("reduce_min", reduction(Tf::reduceMin));
        ops.put("reduce_prod", reduction(Tf::reduceProd));
        ops.put("reduce_any", reduction(Tf::reduceAny));
        ops.put("reduce_all", reduction(Tf::reduceAll));
        ops.put("math.argmax", GoldenOp.single((in, a) -> Tf.argmax(in.get(0), a.integer("axis"), outputType(a))));
        ops.put("math.argmin", GoldenOp.single((in, a) -> Tf.argmin(in.get(0), a.integer("axis"), outputType(a))));
        ops.put("math.cumsum", GoldenOp.single((in, a) ->
                Tf.cumsum(in.get(0), a.integer("axis", 0), a.bool("exclusive", false), a.bool("reverse", false))));
        ops.put("math.cumprod", GoldenOp.single((in, a) ->
                Tf.cumprod(in.get(0), a.integer("axis", 0), a.bool("exclusive", false), a.bool("reverse", false))));

        ops.put("matmul", GoldenOp.single((in, a) ->
                Tf.matmul(in.get(0), in.get(1), a.bool("transpose_a", false), a.bool("transpose_b", false))));

        ops.put("math.top_k", (in, a) -> Tf.topK(in.get(0), a.integer("k", 1), a.bool("sorted", true)));

        ops.put("sort", GoldenOp.single((in, a) -> Tf.sort(in.get(0), a.integer("axis", -1), a.string("direction", "ASCENDING"))));
        ops.put("argsort", GoldenOp.single((in, a) -> Tf.argsort(in.get(0), a.integer("axis", -1), a.string("direction", "ASCENDING"))));

        ops.put("norm", GoldenOp.single((in, a) -> {
            Object ord = a.raw("ord");
            int[] axis = a.ints("axis");
            boolean keepdims = a.bool("keepdims", false);
            if (ord == null) return Tf.norm(in.get(0), "euclidean", axis, keepdims);
            if (ord instanceof Number n) return Tf.norm(in.get(0), n.doubleValue(), axis, keepdims);
            return Tf.norm(in.get(0), (String) ord, axis, keepdims);
        }));

        ops.put("clip_by_value", GoldenOp.single((in, a) -> in.size() == 3
                ? Tf.clipByValue(in.get(0), in.get(1), in.get(2))
                : Tf.clipByValue(in.get(0), (Number) a.raw("clip_value_min"), (Number) a.raw("clip_value_max"))));
        ops.put("clip_by_norm", GoldenOp.single((in, a) ->
                Tf.clipByNorm(in.get(0), Tf.constant(a.number("clip_norm"), in.get(0).dtype()), a.ints("axes"))));

        ops.put("nn.softmax", GoldenOp.single((in, a) -> Tf.softmax(in.get(0), a.integer("axis", -1))));
        ops.put("nn.log_softmax", GoldenOp.single((in, a) -> Tf.logSoftmax(in.get(0), a.integer("axis", -1))));

        // losses: labels / y_true come first in the manifest's inputs
        ops.put("nn.softmax_cross_entropy_with_logits", GoldenOp.single((in, a) ->
                Tf.softmaxCrossEntropyWithLogits(in.get(0), in.get(1), a.integer("axis", -1))));
        ops.put("nn.sparse_softmax_cross_entropy_with_logits", GoldenOp.single((in, a) ->
                Tf.sparseSoftmaxCrossEntropyWithLogits(in.get(0), in.get(1))));
        ops.put("nn.sigmoid_cross_entropy_with_logits", GoldenOp.single((in, a) ->
                Tf.sigmoidCrossEntropyWithLogits(in.get(0), in.get(1))));
        ops.put("nn.l2_loss", GoldenOp.single((in, a) -> Tf.l2Loss(in.get(0))));
        ops.put("keras.losses.mean_squared_error", GoldenOp.single((in, a) -> Tf.meanSquaredError(in.get(0), in.get(1))));
        ops.put("keras.losses.MeanSquaredError", GoldenOp.single((in, a) -> {
            if (!a.string("reduction", "sum_over_batch_size").equals("sum_over_batch_size")) {
                throw new IllegalArgumentException("only the sum_over_batch_size reduction is mapped: " + a);
            }
            return Tf.sumOverBatchSize(Tf.meanSquaredError(in.get(0), in.get(1)));
        }));
        ops.put("keras.losses.categorical_crossentropy", GoldenOp.single((in, a) ->
                Tf.categoricalCrossentropy(in.get(0), in.get(1), a.bool("from_logits", false))));
        ops.put("keras.losses.sparse_categorical_crossentropy", GoldenOp.single((in, a) ->
                Tf.sparseCategoricalCrossentropy(in.get(0), in.get(1), a.bool("from_logits", false))));
        ops.put("keras.losses.binary_crossentropy", GoldenOp.single((in, a) ->
                Tf.binaryCrossentropy(in.get(0), in.get(1), a.bool("from_logits", false))));
        ops.put("math.reduce_logsumexp", GoldenOp.single((in, a) ->
                Tf.reduceLogsumexp(in.get(0), a.ints("axis"), a.bool("keepdims", false))));
        ops.put("reduce_logsumexp", ops.get("math.reduce_logsumexp"));
    }
}
