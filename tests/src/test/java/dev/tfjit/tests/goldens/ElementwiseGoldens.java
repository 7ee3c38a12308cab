package dev.tfjit.tests.goldens;

import dev.tfjit.tracer.Tf;

import java.util.Map;

/** Golden mappings for the arith, unary, compare, logical, cast, activation and misc (truncatediv/mod) families. */
final class ElementwiseGoldens {
    private ElementwiseGoldens() {}

    static void register(Map<String, GoldenOp> ops) {
        ops.put("add", GoldenOp.single((in, a) -> Tf.add(in.get(0), in.get(1))));
    }
}
