package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.kernels.FloatMath;

/**
 * Vectorizable transcendental functions, written once as LLVM IR and inlined into loops.
 *
 * <p>float32 exp, tanh and sigmoid are {@link FloatMath}'s algorithms (float arithmetic and
 * FMAs, eight lanes per AVX2 instruction), emitted operation for operation, so they equal the
 * interpreter bit for bit; their error against the correctly rounded result is documented and
 * tested there (at most 1 ulp for exp, 2 for tanh, 3 for sigmoid). float32 log computes in
 * double precision to about 1e-15 relative error, so it rounds to the interpreter's
 * {@code (float) Math.log((double) x)} except when the exact result lies within about 1e-15 of a
 * rounding boundary (MathAccuracyTest). float64 ops call the C library (at most 1 ulp from Java's).
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

    /** The scalar fma declarations, under the key every user of them adds them with (declared once per module). */
    public static final String FMA_KEY = "fma.scalars";
    public static final String FMA_DECLARATIONS = "declare float @llvm.fma.f32(float, float, float)\ndeclare double @llvm.fma.f64(double, double, double)";

    private static String d(double x) { return Scalars.doubleLiteral(x); }

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

    private static String f(float x) { return Scalars.floatLiteral(x); }

    /**
     * 1.5 * 2^23: adding it to a float of magnitude below 2^22 rounds that float to an integer
     * (ties to even, as {@code Math.rint}) and leaves the integer in the low bits of the sum,
     * {@code bits(sum) = bits(MAGIC) + k}. The low 22 bits of {@code bits(MAGIC)} are zero, so
     * {@code (bits(sum) + 127) << 23} is the bit pattern of 2^k: no float-to-int conversion, and
     * no guard against the NaN that conversion could not take (a NaN k leaves the scale some
     * non-NaN value, and the NaN in r decides the result, as in FloatMath).
     */
    private static final float MAGIC = 12582912f;

    /**
     * FloatMath.reduce and poly on {@code x}: defines {@code %<p>k} (k = rint(x log2 e) as a
     * float, which may differ from Math.rint's only in the sign of a zero k, and
     * {@code fma(+-0, c, x)} is x either way), {@code %<p>kb} ({@link #MAGIC} + k) and
     * {@code %<p>r}, and returns the name of P(r).
     */
    private static String reduced(StringBuilder b, String p, String x) {
        b.append("""
                  %PREscaled = fmul float X, LOG2E
                  %PREkb = fadd float %PREscaled, MAGIC
                  %PREk = fsub float %PREkb, MAGIC
                  %PREr1 = call float @llvm.fma.f32(float %PREk, float NLN2HI, float X)
                  %PREr = call float @llvm.fma.f32(float %PREk, float NLN2LO, float %PREr1)
                """.replace("PRE", p).replace("X", x).replace("LOG2E", f(FloatMath.LOG2E)).replace("MAGIC", f(MAGIC))
                .replace("NLN2HI", f(-FloatMath.LN2_HI)).replace("NLN2LO", f(-FloatMath.LN2_LO)));
        float[] c = FloatMath.expPolynomial();
        String q = f(c[0]);
        for (int i = 1; i < c.length; i++) q = fma(b, "%" + p + "q" + i, q, "%" + p + "r", f(c[i]));
        return q;
    }

    /** FloatMath.pow2: 2^k for k in the normal range, from {@code %<p>kb} ({@link #reduced}); returns its name. */
    private static String pow2(StringBuilder b, String p) {
        b.append("""
                  %PREkbits = bitcast float %PREkb to i32
                  %PREbiased = add i32 %PREkbits, 127
                  %PREbits = shl i32 %PREbiased, 23
                  %PREs = bitcast i32 %PREbits to float
                """.replace("PRE", p));
        return "%" + p + "s";
    }

    /**
     * {@link FloatMath#exp}, operation for operation, but k's halves come from the bits of
     * {@code MAGIC + k}: {@code k1 = bits >> 1} and {@code k2 = bits - k1} differ from
     * FloatMath's {@code ki >> 1} and {@code ki - (ki >> 1)} by {@code bits(MAGIC) / 2}, whose
     * low 21 bits are zero, so shifting by 23 gives the same scales.
     */
    static final String EXPF = expf();

    private static String expf() {
        StringBuilder b = new StringBuilder("""
                define internal float @tfjit_expf(float %x) alwaysinline {
                  %hi = fcmp ogt float %x, HIGH
                  %x1 = select i1 %hi, float HIGH, float %x
                  %lo = fcmp olt float %x1, LOW
                  %xc = select i1 %lo, float LOW, float %x1
                """.replace("HIGH", f(FloatMath.EXP_HIGH)).replace("LOW", f(FloatMath.EXP_LOW)));
        String p = reduced(b, "", "%xc");
        p = fma(b, "%p1", p, "%r", f(1f));
        p = fma(b, "%p2", p, "%r", f(1f));
        b.append("""
                  %kbits = bitcast float %kb to i32
                  %k1 = lshr i32 %kbits, 1
                  %k2 = sub i32 %kbits, %k1
                  %e1 = add i32 %k1, 127
                  %e2 = add i32 %k2, 127
                  %b1 = shl i32 %e1, 23
                  %b2 = shl i32 %e2, 23
                  %s1 = bitcast i32 %b1 to float
                  %s2 = bitcast i32 %b2 to float
                  %y1 = fmul float P, %s1
                  %y = fmul float %y1, %s2
                  ret float %y
                }
                """.replace("P", p));
        return b.toString();
    }

    /**
     * {@link FloatMath#tanh}, instruction for instruction: {@code (1 - w) / (1 + w)} for
     * {@code w = e^(-2|x|) = 2^-j e^(-2r)}, scaled by 2^(j-1) to
     * {@code (2^(j-1) - 1/2 + e) / (2^(j-1) + 1/2 - e)} with {@code e = (1 - e^(-2r)) / 2} a degree-7
     * polynomial. With AVX-512 that is 19 instructions per 16 lanes (abs, clamp, the fma that rounds
     * j, j, r, one shift for 2^(j-1), r^2, five Horner steps, e, 2^(j-1) -+ 1/2, numerator,
     * denominator, the division, copysign), only 9 of them on the multiply units.
     */
    static final String TANHF = tanhf();

    private static String tanhf() {
        StringBuilder b = new StringBuilder("""
                define internal float @tfjit_tanhf(float %x) alwaysinline {
                  %a0 = call float @llvm.fabs.f32(float %x)
                  %hi = fcmp ogt float %a0, HIGH
                  %a = select i1 %hi, float HIGH, float %a0
                  %jb = call float @llvm.fma.f32(float %a, float KSCALE, float MAGIC)
                  %j = fsub float %jb, MAGIC
                  %r = call float @llvm.fma.f32(float %j, float NHALFLN2, float %a)
                  %jbits = bitcast float %jb to i32
                  %hbits = shl i32 %jbits, 23
                  %h = bitcast i32 %hbits to float
                """.replace("HIGH", f(FloatMath.TANH_HIGH)).replace("KSCALE", f(FloatMath.TANH_J_SCALE))
                .replace("MAGIC", f(FloatMath.TANH_MAGIC)).replace("NHALFLN2", f(-FloatMath.HALF_LN2)));
        float[] c = FloatMath.tanhPolynomial();
        String q = f(c[0]);
        for (int i = 1; i < c.length; i++) q = fma(b, "%q" + i, q, "%r", f(c[i]));
        b.append("""
                  %rr = fmul float %r, %r
                  %e = call float @llvm.fma.f32(float Q, float %rr, float %r)
                  %hm = fsub float %h, 0.5
                  %hp = fadd float %h, 0.5
                  %num = fadd float %hm, %e
                  %den = fsub float %hp, %e
                  %y = fdiv float %num, %den
                  %res = call float @llvm.copysign.f32(float %y, float %x)
                  ret float %res
                }
                """.replace("Q", q));
        return b.toString();
    }

    /** {@link FloatMath#sigmoid}, instruction for instruction. */
    static final String SIGMOIDF = sigmoidf();

    private static String sigmoidf() {
        StringBuilder b = new StringBuilder("""
                define internal float @tfjit_sigmoidf(float %x) alwaysinline {
                  %t0 = fneg float %x
                  %hi = fcmp ogt float %t0, HIGH
                  %t1 = select i1 %hi, float HIGH, float %t0
                  %lo = fcmp olt float %t1, LOW
                  %t = select i1 %lo, float LOW, float %t1
                """.replace("HIGH", f(FloatMath.SIGMOID_HIGH)).replace("LOW", f(FloatMath.SIGMOID_LOW)));
        String p = reduced(b, "", "%t");
        p = fma(b, "%p1", p, "%r", f(1f));
        p = fma(b, "%p2", p, "%r", f(1f));
        String s = pow2(b, "");
        b.append("""
                  %e = fmul float P, S
                  %d = fadd float 1.0, %e
                  %y = fdiv float 1.0, %d
                  ret float %y
                }
                """.replace("P", p).replace("S", s));
        return b.toString();
    }

    /** Appends {@code name = fma(a, b, c)} and returns {@code name}. */
    private static String fma(StringBuilder b, String name, String a, String x, String c) {
        b.append("  ").append(name).append(" = call float @llvm.fma.f32(float ").append(a).append(", float ").append(x)
                .append(", float ").append(c).append(")\n");
        return name;
    }

    /** Adds the helper named {@code fn} (and what it calls) to the module. */
    static void use(IrModule m, String fn) {
        switch (fn) {
            case "@tfjit_log" -> m.helper(fn, LOG);
            case "@tfjit_expf", "@tfjit_tanhf", "@tfjit_sigmoidf" -> {
                m.helper(FMA_KEY, FMA_DECLARATIONS);
                m.helper(fn, switch (fn) {
                    case "@tfjit_expf" -> EXPF;
                    case "@tfjit_tanhf" -> TANHF;
                    default -> SIGMOIDF;
                });
            }
            default -> throw new IllegalStateException("no math helper " + fn);
        }
    }
}
