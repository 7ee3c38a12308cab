package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.kernels.ComputeType;

/**
 * An element value in a register: an SSA name (or a literal) in its compute type. Narrow
 * dtypes are held widened, as the interpreter computes them: halves in float, 8/16-bit ints in
 * i32, bool as i1.
 */
public record Reg(String name, ComputeType type) {
    public String llvmType() { return Scalars.llvmType(type); }

    /** {@code "float %t3"}: the typed operand form. */
    public String typed() { return llvmType() + " " + name; }

    @Override
    public String toString() { return typed(); }
}
