package dev.tfjit.codegen.ptx;

import dev.tfjit.codegen.llvm.IrFunction;

/**
 * The integer type a kernel computes indices in. 32-bit where every index fits with room for a
 * grid-stride step (a GPU divides and multiplies 32-bit integers natively, 64-bit ones in
 * several instructions), 64-bit otherwise. Addresses are always formed from 64-bit offsets.
 */
enum IndexType {
    I32("i32"), I64("i64");

    /** Below this many elements 32-bit indices cannot overflow, even one grid-stride step past the end. */
    private static final long I32_LIMIT = 1L << 30;

    final String llvm;

    IndexType(String llvm) { this.llvm = llvm; }

    static IndexType forElements(long count) { return count < I32_LIMIT ? I32 : I64; }

    /** {@code x} (of this type) as an i64, for a getelementptr. */
    String toI64(IrFunction f, String x) {
        if (this == I64 || isLiteral(x)) return x;
        return f.let("zext i32 " + x + " to i64");
    }

    /** An i32 (e.g. a thread index) in this type. */
    String fromI32(IrFunction f, String x) {
        if (this == I32 || isLiteral(x)) return x;
        return f.let("zext i32 " + x + " to i64");
    }

    static boolean isLiteral(String x) { return !x.startsWith("%"); }
}
