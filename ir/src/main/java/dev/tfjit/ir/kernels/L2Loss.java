package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.tfjit.ir.kernels.Fn.ftz;

/** {@code L2Loss}: TF's kernel squares, halves each term, then sums (tree-wise, like its reductions). */
public final class L2Loss {
    private L2Loss() {}

    public static Buffer run(Buffer x) {
        DType t = x.dtype();
        ComputeType c = ComputeType.of(t);
        Buffer w = Casts.widen(x, c);
        long n = x.size();
        Buffer terms = Buffer.allocate(c.dtype(), Shape.of(Math.toIntExact(n)));
        MemorySegment s = w.segment(), o = terms.segment();
        Buffer r = Buffer.allocate(c.dtype(), Shape.SCALAR);
        if (c == ComputeType.F32) {
            for (long i = 0; i < n; i++) {
                float v = ftz(s.getAtIndex(ValueLayout.JAVA_FLOAT, i));
                o.setAtIndex(ValueLayout.JAVA_FLOAT, i, ftz(ftz(v * v) * 0.5f));
            }
            r.segment().set(ValueLayout.JAVA_FLOAT, 0, ftz(Reduce.sumF32(o, 0, n)));
        } else {
            for (long i = 0; i < n; i++) {
                double v = ftz(s.getAtIndex(ValueLayout.JAVA_DOUBLE, i));
                o.setAtIndex(ValueLayout.JAVA_DOUBLE, i, ftz(ftz(v * v) * 0.5));
            }
            r.segment().set(ValueLayout.JAVA_DOUBLE, 0, ftz(Reduce.sumF64(o, 0, n)));
        }
        return Casts.narrow(r, t);
    }
}
