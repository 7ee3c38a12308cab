package dev.tfjit.codegen.llvm;

import static dev.tfjit.codegen.llvm.Sgemm.MR;
import static dev.tfjit.codegen.llvm.Sgemm.NR;

/**
 * The 6x16 float32 micro-kernel of {@link Sgemm}, as hand-written LLVM IR: the C tile lives in
 * twelve {@code <8 x float>} registers; each step of k loads two vectors of the packed B panel,
 * broadcasts six elements of the packed A panel and issues twelve vector FMAs.
 */
final class SgemmMicroKernel {
    static final String NAME = Sgemm.NAME + "_micro";
    /** Float.MIN_NORMAL in each lane: smaller magnitudes are flushed to zero. */
    private static final String MIN_NORMAL_V8 =
            "<float " + String.join(", float ", java.util.Collections.nCopies(8, Scalars.floatLiteral(Float.MIN_NORMAL))) + ">";

    private SgemmMicroKernel() {}

    /**
     * {@code void micro(i64 kc, ptr pa, ptr pb, ptr c, i64 ldc, i1 first, i1 last)}: C[0..6, 0..16]
     * (row stride ldc) = (first ? +0 : C) + packed A panel (kc x 6) times packed B panel (kc x 16),
     * flushed to zero when {@code last}. The k loop is unrolled twice, {@code unrollTwice} being
     * its latch metadata.
     */
    static String text(String unrollTwice) {
        StringBuilder s = new StringBuilder();
        s.append("define internal void ").append(NAME).append("(i64 %kc, ptr noalias %pa, ptr noalias %pb, ptr noalias %c, i64 %ldc, ")
                .append("i1 %first, i1 %last) {\n");
        s.append("entry:\n");
        for (int r = 0; r < MR; r++) {
            s.append("  %row").append(r).append(" = mul i64 %ldc, ").append(r).append('\n');
            s.append("  %row").append(r).append("h = add i64 %row").append(r).append(", 8\n");
            s.append("  %cp").append(r).append("0 = getelementptr inbounds float, ptr %c, i64 %row").append(r).append('\n');
            s.append("  %cp").append(r).append("1 = getelementptr inbounds float, ptr %c, i64 %row").append(r).append("h\n");
        }
        // The first k-block starts from +0 (C is not read, so it needs no clearing); later ones continue from C.
        s.append("  br i1 %first, label %start, label %reload\nreload:\n");
        for (int r = 0; r < MR; r++) {
            for (int h = 0; h < 2; h++) {
                s.append("  %c").append(r).append(h).append("l = load <8 x float>, ptr %cp").append(r).append(h).append(", align 4\n");
            }
        }
        s.append("  br label %start\nstart:\n");
        for (int r = 0; r < MR; r++) {
            for (int h = 0; h < 2; h++) {
                s.append("  %c").append(r).append(h).append("i = phi <8 x float> [zeroinitializer, %entry], [%c").append(r).append(h)
                        .append("l, %reload]\n");
            }
        }
        s.append("  %any = icmp sgt i64 %kc, 0\n  br i1 %any, label %loop, label %done\n");
        s.append("loop:\n");
        s.append("  %p = phi i64 [0, %start], [%p1, %loop]\n");
        for (int r = 0; r < MR; r++) {
            for (int h = 0; h < 2; h++) {
                s.append("  %c").append(r).append(h).append(" = phi <8 x float> [%c").append(r).append(h).append("i, %start], [%c")
                        .append(r).append(h).append("n, %loop]\n");
            }
        }
        s.append("  %boff = mul i64 %p, ").append(NR).append('\n');
        s.append("  %bp0 = getelementptr inbounds float, ptr %pb, i64 %boff\n");
        s.append("  %bp1 = getelementptr inbounds float, ptr %bp0, i64 8\n");
        s.append("  %b0 = load <8 x float>, ptr %bp0, align 32\n");
        s.append("  %b1 = load <8 x float>, ptr %bp1, align 32\n");
        s.append("  %aoff0 = mul i64 %p, ").append(MR).append('\n');
        for (int r = 0; r < MR; r++) {
            s.append("  %ap").append(r).append(" = getelementptr inbounds float, ptr %pa, i64 %aoff").append(r).append('\n');
            s.append("  %aoff").append(r + 1).append(" = add i64 %aoff").append(r).append(", 1\n");
            s.append("  %a").append(r).append(" = load float, ptr %ap").append(r).append(", align 4\n");
            s.append("  %ai").append(r).append(" = insertelement <8 x float> poison, float %a").append(r).append(", i64 0\n");
            s.append("  %av").append(r).append(" = shufflevector <8 x float> %ai").append(r).append(", <8 x float> poison, <8 x i32> zeroinitializer\n");
            for (int h = 0; h < 2; h++) {
                s.append("  %c").append(r).append(h).append("n = call <8 x float> @llvm.fma.v8f32(<8 x float> %av").append(r)
                        .append(", <8 x float> %b").append(h).append(", <8 x float> %c").append(r).append(h).append(")\n");
            }
        }
        s.append("  %p1 = add nuw nsw i64 %p, 1\n  %more = icmp slt i64 %p1, %kc\n  br i1 %more, label %loop, label %done").append(unrollTwice).append("\n");
        s.append("done:\n");
        for (int r = 0; r < MR; r++) {
            for (int h = 0; h < 2; h++) {
                s.append("  %c").append(r).append(h).append("f = phi <8 x float> [%c").append(r).append(h).append("i, %start], [%c")
                        .append(r).append(h).append("n, %loop]\n");
            }
        }
        // After the last k-block the result is flushed to zero, as the interpreter flushes its output.
        for (int r = 0; r < MR; r++) {
            for (int h = 0; h < 2; h++) {
                String v = "%c" + r + h;
                s.append("  ").append(v).append("a = call <8 x float> @llvm.fabs.v8f32(<8 x float> ").append(v).append("f)\n");
                s.append("  ").append(v).append("t = fcmp olt <8 x float> ").append(v).append("a, ").append(MIN_NORMAL_V8).append('\n');
                s.append("  ").append(v).append("z = call <8 x float> @llvm.copysign.v8f32(<8 x float> zeroinitializer, <8 x float> ")
                        .append(v).append("f)\n");
                s.append("  ").append(v).append("x = select <8 x i1> ").append(v).append("t, <8 x float> ").append(v).append("z, <8 x float> ")
                        .append(v).append("f\n");
                s.append("  ").append(v).append("s = select i1 %last, <8 x float> ").append(v).append("x, <8 x float> ").append(v).append("f\n");
                s.append("  store <8 x float> ").append(v).append("s, ptr %cp").append(r).append(h).append(", align 4\n");
            }
        }
        s.append("  ret void\n}\n");
        return s.toString();
    }
}
