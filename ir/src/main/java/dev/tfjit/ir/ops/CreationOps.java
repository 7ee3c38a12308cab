package dev.tfjit.ir.ops;

import dev.tfjit.ir.OpDef;

/** Ops that make tensors from attributes: constants, fills, ranges, random numbers. */
public final class CreationOps {
    private CreationOps() {}

    /** {@code constant {value=dense<...>}}: the attribute's tensor. */
    public static final OpDef CONSTANT = OpDef.op("constant")
            .inputs(0)
            .type((in, a) -> a.getTensor("value").type())
            .kernel1((in, a) -> a.getTensor("value"))
            .build();
}
