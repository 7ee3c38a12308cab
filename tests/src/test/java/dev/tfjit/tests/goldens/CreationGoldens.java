package dev.tfjit.tests.goldens;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Tf;

import java.util.Map;

/** Golden mappings for creation ops: range. */
final class CreationGoldens {
    private CreationGoldens() {}

    static void register(Map<String, GoldenOp> ops) {
        ops.put("range", GoldenOp.single((in, a) -> {
            Number start = (Number) a.raw("start"), limit = (Number) a.raw("limit");
            Number delta = a.has("delta") ? (Number) a.raw("delta") : 1;
            return a.has("dtype")
                    ? Tf.range(start, limit, delta, DType.fromTfName(a.string("dtype")))
                    : Tf.range(start, limit, delta);
        }));
    }
}
