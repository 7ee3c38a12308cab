package dev.tfjit.ir.ops;

/** TODO(family): filled in by the op-family work. */
public final class ReductionOps {
    private ReductionOps() {}
}
