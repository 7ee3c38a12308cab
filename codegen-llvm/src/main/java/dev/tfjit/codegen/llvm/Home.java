package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;

/** Where a stored value lives while the compiled function runs. */
sealed interface Home {
    /** Argument {@code index}: a caller's buffer, read-only. */
    record Arg(int index) implements Home {}

    /** Result {@code index}: a buffer the caller allocated for it. */
    record Result(int index) implements Home {}

    /** Bytes at {@code offset} of the per-call scratch block (64-byte aligned). */
    record Scratch(long offset) implements Home {}

    /** A constant tensor emitted as a private global. */
    record Global(String symbol) implements Home {}

    /** A one-element constant, used as a literal. */
    record Immediate(Buffer value) implements Home {}

    /**
     * A dynamically sized TensorArray's stacked value: a descriptor {@code {ptr data, i64 count,
     * i64 capacity}} at {@code offset} of the scratch block, its elements in memory the call
     * allocates and frees itself ({@link GrowableArrays}).
     */
    record Growable(long offset) implements Home {}

    /** {@code bytes} into another home: where a view ({@link Views}) starts in its input. */
    record Offset(Home base, long bytes) implements Home {}
}
