package dev.tfjit.tests.goldens;

import java.util.Map;

/** Golden mappings for the shape, join_split, gather, slice, pad, where, one_hot, reverse and range families. */
final class ArrayGoldens {
    private ArrayGoldens() {}

    static void register(Map<String, GoldenOp> ops) {
    }
}
