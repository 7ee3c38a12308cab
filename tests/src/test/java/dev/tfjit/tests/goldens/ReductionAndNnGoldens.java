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

        ops.put("nn.softmax", GoldenOp.single((in, a) -> Tf.softmax(in.get(0))));
        ops.put("nn.log_softmax", GoldenOp.single((in, a) -> Tf.logSoftmax(in.get(0))));
        ops.put("nn.softmax_cross_entropy_with_logits", GoldenOp.single((in, a) ->
                Tf.softmaxCrossEntropyWithLogits(in.get(0), in.get(1))));
        ops.put("nn.sparse_softmax_cross_entropy_with_logits", GoldenOp.single((in, a) ->
                Tf.sparseSoftmaxCrossEntropyWithLogits(in.get(0), in.get(1))));
    }
}
