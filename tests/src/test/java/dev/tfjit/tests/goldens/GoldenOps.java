package dev.tfjit.tests.goldens;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * The mapping from TF Python API names in the manifest to tfjit calls. Each op family keeps its
 * own mapping file, so families can grow independently.
 */
final class GoldenOps {
    private static final Map<String, GoldenOp> OPS = build();

    private GoldenOps() {}

    static GoldenOp find(String tfName) { return OPS.get(tfName); }

    static Map<String, GoldenOp> all() { return Collections.unmodifiableMap(OPS); }

    private static Map<String, GoldenOp> build() {
        Map<String, GoldenOp> m = new HashMap<>();
        ElementwiseGoldens.register(m);
        ArrayGoldens.register(m);
        ReductionAndNnGoldens.register(m);
        CreationGoldens.register(m);
        return m;
    }
}
