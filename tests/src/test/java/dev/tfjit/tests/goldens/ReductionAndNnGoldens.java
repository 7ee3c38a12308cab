package dev.tfjit.tests.goldens;

import java.util.Map;

/** Golden mappings for the reduce, matmul, topk_sort, norm, clip, softmax and loss families. */
final class ReductionAndNnGoldens {
    private ReductionAndNnGoldens() {}

    static void register(Map<String, GoldenOp> ops) {
    }
}
