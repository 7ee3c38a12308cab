package dev.tfjit.codegen.ptx;

import dev.tfjit.codegen.llvm.IrFunction;
import dev.tfjit.codegen.llvm.LoopNest;

import java.util.ArrayList;
import java.util.List;

/**
 * Element offsets from a flat (row-major) position in a {@link LoopNest}: the position is split
 * into one index per (merged) dim by division by constants, which the GPU does as a multiply
 * and shift, and each operand's offset is the sum of index times its stride (zero strides read
 * a broadcast operand). A nest of one dim, the common same-shape case, costs nothing.
 */
final class IndexMath {
    private IndexMath() {}

    /** Each operand's element offset, in {@code it}, at flat position {@code flat} (an {@code it} value). */
    static List<String> offsets(IrFunction f, IndexType it, LoopNest nest, String flat) {
        long[] dims = nest.dims();
        String[] ivs = new String[dims.length];
        long suffix = 1;
        for (int l = dims.length - 1; l >= 0; l--) {
            String q = suffix == 1 ? flat : f.let("udiv " + it.llvm + " " + flat + ", " + suffix);
            ivs[l] = l == 0 ? q : f.let("urem " + it.llvm + " " + q + ", " + dims[l]);
            suffix *= dims[l];
        }
        List<String> out = new ArrayList<>(nest.strides().size());
        for (long[] s : nest.strides()) {
            String acc = null;
            for (int l = 0; l < ivs.length; l++) {
                if (s[l] == 0) continue;
                String term = s[l] == 1 ? ivs[l] : f.let("mul nuw nsw " + it.llvm + " " + ivs[l] + ", " + s[l]);
                acc = acc == null ? term : f.let("add nuw nsw " + it.llvm + " " + acc + ", " + term);
            }
            out.add(acc == null ? "0" : acc);
        }
        return out;
    }

    /** {@code a + b} in {@code it}, folding a literal zero. */
    static String add(IrFunction f, IndexType it, String a, String b) {
        if (a.equals("0")) return b;
        if (b.equals("0")) return a;
        return f.let("add nuw nsw " + it.llvm + " " + a + ", " + b);
    }

    /** Whether every operand of a one-dim nest reads contiguously (stride 1) or a single element (stride 0). */
    static boolean isFlat(LoopNest nest) {
        if (nest.dims().length > 1) return false;
        for (long[] s : nest.strides()) if (s.length == 1 && s[0] != 0 && s[0] != 1) return false;
        return true;
    }
}
