package dev.tfjit.codegen.llvm;

/**
 * Vectorizable transcendental functions, written once as LLVM IR and inlined into loops.
 *
 * <p>They compute in double precision to about 1e-15 relative error, so a float32 op (which the
 * interpreter computes as {@code (float) Math.exp((double) x)}) rounds to the same float
 * except in the rare case that the exact result lies within about 1e-15 of a rounding
 * boundary (MathAccuracyTest: 200,000 inputs each for exp, log, tanh and sigmoid, all
 * bit-identical to the interpreter; the bound the tests allow is 1 ulp). AVX2 runs them
 * four lanes at a time. float64 ops call the C library instead (at most 1 ulp from Java's).
 */
public final class MathFunctions {
    private MathFunctions() {}

    /** Intrinsics and C library functions generated code may call. */
    public static final String DECLARATIONS = """
            declare float @llvm.fabs.f32(float)
            declare double @llvm.fabs.f64(double)
            declare float @llvm.copysign.f32(float, float)
            declare double @llvm.copysign.f64(double, double)
            declare float @llvm.sqrt.f32(float)
            declare double @llvm.sqrt.f64(double)
            declare float @llvm.floor.f32(float)
            declare double @llvm.floor.f64(double)
            declare float @llvm.ceil.f32(float)
            declare double @llvm.ceil.f64(double)
            declare float @llvm.roundeven.f32(float)
            declare double @llvm.roundeven.f64(double)
            declare double @llvm.rint.f64(double)
            declare i32 @llvm.abs.i32(i32, i1)
            declare i64 @llvm.abs.i64(i64, i1)
            declare i32 @llvm.smax.i32(i32, i32)
            declare i64 @llvm.smax.i64(i64, i64)
            declare i32 @llvm.smin.i32(i32, i32)
            declare i64 @llvm.smin.i64(i64, i64)
            declare void @llvm.memmove.p0.p0.i64(ptr, ptr, i64, i1)
            declare double @exp(double)
            declare double @expm1(double)
            declare double @log(double)
            declare double @log1p(double)
            declare double @sin(double)
            declare double @cos(double)
            declare double @tanh(double)
            declare double @erf(double)
            declare double @pow(double, double)
            """;

    private static String d(double x) { return Scalars.doubleLiteral(x); }

    /**
     * exp for doubles: x = k ln2 + r with |r| <= ln2/2, Taylor to r^13 (truncation below 4e-18),
     * scaled by 2^k in two halves so that no intermediate overflows. NaN passes through.
     */
    static final String EXP = """
            define internal double @tfjit_exp(double %x) alwaysinline {
              %hi = fcmp ogt double %x, 710.0
              %x1 = select i1 %hi, double 710.0, double %x
              %lo = fcmp olt double %x1, -746.0
              %x2 = select i1 %lo, double -746.0, double %x1
              %t = fmul double %x2, LOG2E
              %k = call double @llvm.rint.f64(double %t)
              %kh = fmul double %k, LN2HI
              %r1 = fsub double %x2, %kh
              %kl = fmul double %k, LN2LO
              %r = fsub double %r1, %kl
            POLY
              %nan = fcmp uno double %k, 0.0
              %kk = select i1 %nan, double 0.0, double %k
              %ki = fptosi double %kk to i64
              %k1 = ashr i64 %ki, 1
              %k2 = sub i64 %ki, %k1
              %e1 = add i64 %k1, 1023
              %e2 = add i64 %k2, 1023
              %b1 = shl i64 %e1, 52
              %b2 = shl i64 %e2, 52
              %s1 = bitcast i64 %b1 to double
              %s2 = bitcast i64 %b2 to double
              %y1 = fmul double %p0, %s1
              %y = fmul double %y1, %s2
              ret double %y
            }
            """.replace("LOG2E", d(1.4426950408889634)).replace("LN2HI", d(6.93147180369123816490e-01))
            .replace("LN2LO", d(1.90821492927058770002e-10)).replace("POLY", expPoly());

    private static String expPoly() {
        StringBuilder sb = new StringBuilder();
        double[] c = new double[14];
        double fact = 1;
        for (int n = 0; n <= 13; n++) {
            if (n > 0) fact *= n;
            c[n] = 1 / fact;
        }
        sb.append("  %p13 = fadd double 0.0, ").append(d(c[13])).append('\n');
        for (int n = 12; n >= 0; n--) {
            sb.append("  %m").append(n).append(" = fmul double %p").append(n + 1).append(", %r\n");
            sb.append("  %p").append(n).append(" = fadd double %m").append(n).append(", ").append(d(c[n])).append('\n');
        }
        return sb.toString();
    }

    /**
     * log for positive normal doubles (every float32 is one): x = m 2^e with m in
     * [sqrt(1/2), sqrt(2)), log m = 2 atanh(s), s = (m-1)/(m+1), series to s^23; zero, negative,
     * infinite and NaN inputs get C's answers.
     */
    static final String LOG = """
            define internal double @tfjit_log(double %x) alwaysinline {
              %bits = bitcast double %x to i64
              %eb = lshr i64 %bits, 52
              %e0 = sub i64 %eb, 1023
              %mb = and i64 %bits, 4503599627370495
              %mb1 = or i64 %mb, 4607182418800017408
              %m0 = bitcast i64 %mb1 to double
              %big = fcmp ogt double %m0, SQRT2
              %mh = fmul double %m0, 0.5
              %m = select i1 %big, double %mh, double %m0
              %e1 = add i64 %e0, 1
              %e = select i1 %big, i64 %e1, i64 %e0
              %f = fsub double %m, 1.0
              %den = fadd double %f, 2.0
              %s = fdiv double %f, %den
              %z = fmul double %s, %s
            POLY
              %s2 = fmul double %s, 2.0
              %sz = fmul double %s2, %z
              %tail = fmul double %sz, %q1
              %logm = fadd double %s2, %tail
              %ed = sitofp i64 %e to double
              %ehi = fmul double %ed, LN2HI
              %elo = fmul double %ed, LN2LO
              %lo = fadd double %logm, %elo
              %y0 = fadd double %ehi, %lo
              %isinf = fcmp oeq double %x, 0x7FF0000000000000
              %y1 = select i1 %isinf, double %x, double %y0
              %iszero = fcmp oeq double %x, 0.0
              %y2 = select i1 %iszero, double 0xFFF0000000000000, double %y1
              %bad = fcmp ult double %x, 0.0
              %y3 = select i1 %bad, double 0x7FF8000000000000, double %y2
              ret double %y3
            }
            """.replace("SQRT2", d(Math.sqrt(2))).replace("LN2HI", d(6.93147180369123816490e-01))
            .replace("LN2LO", d(1.90821492927058770002e-10)).replace("POLY", logPoly());

    /** q1 = 1/3 + z/5 + z^2/7 + ... + z^10/23. */
    private static String logPoly() {
        StringBuilder sb = new StringBuilder();
        sb.append("  %q11 = fadd double 0.0, ").append(d(1.0 / 23)).append('\n');
        for (int n = 10; n >= 1; n--) {
            sb.append("  %qm").append(n).append(" = fmul double %q").append(n + 1).append(", %z\n");
            sb.append("  %q").append(n).append(" = fadd double %qm").append(n).append(", ").append(d(1.0 / (2 * n + 1))).append('\n');
        }
        return sb.toString();
    }

    /**
     * tanh for doubles to about 2e-15 relative: an odd Taylor polynomial below |x| = 1/16, else
     * (e - 1) / (e + 1) with e = exp(2|x|), |x| clamped at 20 where tanh is 1 in double.
     */
    static final String TANH = """
            define internal double @tfjit_tanh(double %x) alwaysinline {
              %a0 = call double @llvm.fabs.f64(double %x)
              %far = fcmp ogt double %a0, 20.0
              %a = select i1 %far, double 20.0, double %a0
              %two = fmul double %a, 2.0
              %e = call double @tfjit_exp(double %two)
              %num = fsub double %e, 1.0
              %den = fadd double %e, 1.0
              %big = fdiv double %num, %den
              %z = fmul double %a, %a
              %c5 = fmul double %z, C11
              %c4 = fadd double %c5, C9
              %c4m = fmul double %c4, %z
              %c3 = fadd double %c4m, C7
              %c3m = fmul double %c3, %z
              %c2 = fadd double %c3m, C5
              %c2m = fmul double %c2, %z
              %c1 = fadd double %c2m, C3
              %c1m = fmul double %c1, %z
              %az = fmul double %a, %c1m
              %small = fadd double %a, %az
              %near = fcmp olt double %a, 0.0625
              %y = select i1 %near, double %small, double %big
              %r = call double @llvm.copysign.f64(double %y, double %x)
              ret double %r
            }
            """.replace("C11", d(-1382.0 / 155925)).replace("C9", d(62.0 / 2835)).replace("C7", d(-17.0 / 315))
            .replace("C5", d(2.0 / 15)).replace("C3", d(-1.0 / 3));

    /** Adds the helper named {@code fn} (and what it calls) to the module. */
    static void use(IrModule m, String fn) {
        switch (fn) {
            case "@tfjit_exp" -> m.helper(fn, EXP);
            case "@tfjit_log" -> m.helper(fn, LOG);
            case "@tfjit_tanh" -> {
                m.helper("@tfjit_exp", EXP);
                m.helper(fn, TANH);
            }
            default -> throw new IllegalStateException("no math helper " + fn);
        }
    }
}
