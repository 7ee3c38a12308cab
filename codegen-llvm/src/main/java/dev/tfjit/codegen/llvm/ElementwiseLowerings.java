package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.ops.ArrayOps;
import dev.tfjit.ir.ops.CreationOps;
import dev.tfjit.ir.ops.ElementwiseOps;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static dev.tfjit.ir.kernels.ComputeType.*;

/**
 * How each elementwise op computes one element, in its compute type, following the scalar
 * function the interpreter applies (ElementwiseOps, ScalarMath, Casts). Rules are registered
 * per op, like JAX's per-primitive rules; the emitter flushes and rounds each result to the
 * op's dtype, so rules only flush where the interpreter flushes inside one op.
 */
public final class ElementwiseLowerings {
    private ElementwiseLowerings() {}

    /** Lowers one element of {@code node} given its inputs' elements. */
    @FunctionalInterface
    public interface Rule {
        Reg lower(KernelContext cx, Node node, List<Reg> in);
    }

    private static final String DIVISION_BY_ZERO = "Integer division by zero";
    private static final String NEGATIVE_POWER = "Integers to negative integer powers are not allowed";

    private static final Map<OpDef, Rule> RULES = new IdentityHashMap<>();

    public static Rule rule(OpDef op) { return RULES.get(op); }

    public static boolean isElementwise(OpDef op) { return RULES.containsKey(op); }

    /**
     * Float ops whose result is never subnormal when no input is (inputs are always flushed), so
     * flushing the result would change nothing: they pick or negate an input, or (tanh, sqrt)
     * map normal numbers to normal ones. Everything else is flushed, as the interpreter does.
     */
    private static final java.util.Set<OpDef> KEEP_NORMALS = java.util.Set.of(ElementwiseOps.NEG, ElementwiseOps.ABS,
            ElementwiseOps.RELU, ElementwiseOps.RELU6, ElementwiseOps.MAXIMUM, ElementwiseOps.MINIMUM, ArrayOps.SELECT,
            ElementwiseOps.SIGN, ElementwiseOps.FLOOR, ElementwiseOps.CEIL, ElementwiseOps.ROUND, ElementwiseOps.TANH,
            ElementwiseOps.SQRT, CreationOps.ZEROS_LIKE, CreationOps.ONES_LIKE);

    static boolean keepsNormals(OpDef op) { return KEEP_NORMALS.contains(op); }

    /**
     * float32 ops whose flushed result is the same for a subnormal input as for the zero a
     * flush makes of it (FloatMath.exp gives 1, sigmoid 0.5, either way), so a fused producer
     * feeding them need not flush its result.
     */
    static boolean ignoresSubnormalInput(OpDef op) { return op == ElementwiseOps.EXP || op == ElementwiseOps.SIGMOID; }

    /**
     * float32 ops that map a subnormal input to a subnormal or zero of the sign they give its
     * flushed zero (FloatMath.tanh returns a subnormal x itself, neg negates it, relu keeps it, as
     * its lowering below is written to): a consumer that gives the same result for a subnormal
     * as for its flushed zero may read them, and so their input, unflushed.
     */
    static boolean passesSubnormal(OpDef op) { return op == ElementwiseOps.TANH || op == ElementwiseOps.NEG || op == ElementwiseOps.RELU; }

    /** Float ops whose result is at most 1 in magnitude (or NaN), whatever their input. */
    static boolean isBounded(OpDef op) { return op == ElementwiseOps.TANH || op == ElementwiseOps.SIGMOID; }

    private static void unary(OpDef op, UnaryRule r) { RULES.put(op, (cx, n, in) -> r.lower(cx, in.get(0))); }

    private static void binary(OpDef op, BinaryRule r) { RULES.put(op, (cx, n, in) -> r.lower(cx, in.get(0), in.get(1))); }

    @FunctionalInterface private interface UnaryRule { Reg lower(KernelContext cx, Reg x); }

    @FunctionalInterface private interface BinaryRule { Reg lower(KernelContext cx, Reg x, Reg y); }

    private static boolean isFloat(Reg r) { return r.type() == F32 || r.type() == F64; }

    static {
        // ---- arithmetic
        binary(ElementwiseOps.ADD, (cx, x, y) -> cx.bin(isFloat(x) ? "fadd" : "add", x, y));
        binary(ElementwiseOps.SUB, (cx, x, y) -> cx.bin(isFloat(x) ? "fsub" : "sub", x, y));
        binary(ElementwiseOps.MUL, (cx, x, y) -> cx.bin(isFloat(x) ? "fmul" : "mul", x, y));
        binary(ElementwiseOps.DIV, (cx, x, y) -> cx.bin("fdiv", x, y));
        binary(ElementwiseOps.FLOOR_DIV, ElementwiseLowerings::floorDiv);
        binary(ElementwiseOps.FLOOR_MOD, ElementwiseLowerings::floorMod);
        binary(ElementwiseOps.TRUNCATE_DIV, (cx, x, y) -> javaDiv(cx, x, checkedDivisor(cx, y), false));
        binary(ElementwiseOps.TRUNCATE_MOD, (cx, x, y) -> isFloat(x) ? cx.bin("frem", x, y) : javaDiv(cx, x, checkedDivisor(cx, y), true));
        binary(ElementwiseOps.POW, ElementwiseLowerings::pow);
        binary(ElementwiseOps.MAXIMUM, (cx, x, y) -> isFloat(x) ? nanWins(cx, "fcmp ogt", x, y) : cx.intrinsic("smax", x, y));
        binary(ElementwiseOps.MINIMUM, (cx, x, y) -> isFloat(x) ? nanWins(cx, "fcmp olt", x, y) : cx.intrinsic("smin", x, y));
        binary(ElementwiseOps.SQUARED_DIFFERENCE, (cx, x, y) -> {
            Reg d = cx.bin(isFloat(x) ? "fsub" : "sub", x, y);
            return cx.bin(isFloat(x) ? "fmul" : "mul", d, d);
        });
        binary(ElementwiseOps.DIV_NO_NAN, (cx, x, y) ->
                cx.select(cx.cmp("fcmp oeq", y, cx.lit(y.type(), 0)), cx.lit(x.type(), 0), cx.bin("fdiv", x, y)));
        RULES.put(ElementwiseOps.ADD_N, (cx, n, in) -> {
            // Left to right, each partial sum stored (rounded and flushed) like a separate add, as the interpreter does.
            Reg sum = in.get(0);
            for (int i = 1; i < in.size(); i++) {
                Reg s = cx.bin(isFloat(sum) ? "fadd" : "add", sum, in.get(i));
                sum = i < in.size() - 1 ? Scalars.round(cx.f, n.output().dtype(), s) : s;
            }
            return sum;
        });
        // ---- ops of other families that compute element by element
        RULES.put(ArrayOps.SELECT, (cx, n, in) -> cx.select(in.get(0).name(), in.get(1), in.get(2)));
        unary(CreationOps.ZEROS_LIKE, (cx, x) -> cx.lit(x.type(), 0));
        unary(CreationOps.ONES_LIKE, (cx, x) -> cx.lit(x.type(), 1));
        unary(ElementwiseOps.NEG, (cx, x) -> isFloat(x) ? new Reg(cx.f.let("fneg " + x.typed()), x.type()) : cx.bin("sub", cx.lit(x.type(), 0), x));

        // ---- elementwise math
        unary(ElementwiseOps.ABS, (cx, x) -> isFloat(x) ? cx.intrinsic("fabs", x)
                : cx.call("@llvm.abs." + (x.type() == I32 ? "i32" : "i64"), x.type(), x, new Reg("false", BOOL)));
        unary(ElementwiseOps.SIGN, ElementwiseLowerings::sign);
        unary(ElementwiseOps.SQUARE, (cx, x) -> cx.bin(isFloat(x) ? "fmul" : "mul", x, x));
        unary(ElementwiseOps.RECIPROCAL, (cx, x) -> isFloat(x) ? cx.bin("fdiv", cx.lit(x.type(), 1), x)
                : javaDiv(cx, cx.lit(x.type(), 1), checkedDivisor(cx, x), false));
        unary(ElementwiseOps.SQRT, (cx, x) -> cx.intrinsic("sqrt", x)); // float sqrt via double rounds the same: exact
        unary(ElementwiseOps.RSQRT, (cx, x) -> narrowLike(cx, x, cx.bin("fdiv", cx.lit(F64, 1), cx.intrinsic("sqrt", cx.fpext(x)))));
        unary(ElementwiseOps.EXP, ElementwiseLowerings::exp);
        unary(ElementwiseOps.EXPM1, (cx, x) -> libm(cx, "@expm1", x));
        unary(ElementwiseOps.LOG, (cx, x) -> x.type() == F32 ? cx.fptrunc(helper(cx, "@tfjit_log", cx.fpext(x))) : libm(cx, "@log", x));
        unary(ElementwiseOps.LOG1P, (cx, x) -> libm(cx, "@log1p", x));
        unary(ElementwiseOps.SIN, (cx, x) -> libm(cx, "@sin", x));
        unary(ElementwiseOps.COS, (cx, x) -> libm(cx, "@cos", x));
        unary(ElementwiseOps.ERF, (cx, x) -> libm(cx, "@erf", x));
        unary(ElementwiseOps.FLOOR, (cx, x) -> cx.intrinsic("floor", x));
        unary(ElementwiseOps.CEIL, (cx, x) -> cx.intrinsic("ceil", x));
        unary(ElementwiseOps.ROUND, (cx, x) -> isFloat(x) ? cx.intrinsic("roundeven", x) : x);
        unary(ElementwiseOps.IS_NAN, (cx, x) -> new Reg(cx.cmp("fcmp uno", x, x), BOOL));
        unary(ElementwiseOps.IS_INF, (cx, x) -> new Reg(cx.cmp("fcmp oeq", cx.intrinsic("fabs", x), cx.lit(x.type(), Double.POSITIVE_INFINITY)), BOOL));
        unary(ElementwiseOps.IS_FINITE, (cx, x) -> new Reg(cx.cmp("fcmp olt", cx.intrinsic("fabs", x), cx.lit(x.type(), Double.POSITIVE_INFINITY)), BOOL));

        // ---- activations
        unary(ElementwiseOps.SIGMOID, (cx, x) -> x.type() == F32 ? floatHelper(cx, "@tfjit_sigmoidf", x)
                : cx.bin("fdiv", cx.lit(F64, 1), cx.bin("fadd", cx.lit(F64, 1), cx.call("@exp", F64, new Reg(cx.f.let("fneg " + x.typed()), F64)))));
        unary(ElementwiseOps.TANH, (cx, x) -> x.type() == F32 ? floatHelper(cx, "@tfjit_tanhf", x) : libm(cx, "@tanh", x));
        // x < 0 ? 0 : x, as the interpreter, for every flushed x; an unflushed negative subnormal
        // (passesSubnormal) stays itself, standing for the -0 that relu of its flushed zero is.
        unary(ElementwiseOps.RELU, (cx, x) -> isFloat(x)
                ? cx.select(cx.cmp("fcmp ole", x, cx.lit(x.type(), x.type() == F32 ? -Float.MIN_NORMAL : -Double.MIN_NORMAL)), cx.lit(x.type(), 0), x)
                : cx.intrinsic("smax", x, cx.lit(x.type(), 0)));
        unary(ElementwiseOps.RELU6, (cx, x) -> {
            if (!isFloat(x)) return cx.intrinsic("smin", cx.intrinsic("smax", x, cx.lit(x.type(), 0)), cx.lit(x.type(), 6));
            Reg six = cx.select(cx.cmp("fcmp ogt", x, cx.lit(x.type(), 6)), cx.lit(x.type(), 6), x);
            return cx.select(cx.cmp("fcmp olt", x, cx.lit(x.type(), 0)), cx.lit(x.type(), 0), six);
        });
        unary(ElementwiseOps.ELU, (cx, x) -> cx.select(cx.cmp("fcmp olt", x, cx.lit(x.type(), 0)), cx.bin("fsub", exp(cx, x), cx.lit(x.type(), 1)), x));
        unary(ElementwiseOps.SELU, (cx, x) -> {
            double scale = 1.0507009873554804934193349852946, scaleAlpha = 1.7580993408473768599402175208123;
            Reg neg = cx.bin("fmul", cx.lit(x.type(), scaleAlpha), cx.bin("fsub", exp(cx, x), cx.lit(x.type(), 1)));
            Reg pos = cx.bin("fmul", cx.lit(x.type(), scale), x);
            return cx.select(cx.cmp("fcmp olt", x, cx.lit(x.type(), 0)), neg, pos);
        });
        unary(ElementwiseOps.SOFTPLUS, ElementwiseLowerings::softplus);
        unary(ElementwiseOps.SOFTSIGN, (cx, x) -> cx.bin("fdiv", x, cx.bin("fadd", cx.lit(x.type(), 1), cx.intrinsic("fabs", x))));
        RULES.put(ElementwiseOps.LEAKY_RELU, (cx, n, in) -> {
            Reg x = in.get(0);
            float alpha = (float) n.attrs().getDouble("alpha"); // a float32 attr in TF, also for float64 inputs
            Reg scaled = cx.bin("fmul", x, cx.lit(x.type(), alpha));
            return cx.select(cx.cmp("fcmp ogt", x, cx.lit(x.type(), 0)), x, scaled);
        });

        // ---- comparison and logic
        compare(ElementwiseOps.LESS, "olt", "slt");
        compare(ElementwiseOps.LESS_EQUAL, "ole", "sle");
        compare(ElementwiseOps.GREATER, "ogt", "sgt");
        compare(ElementwiseOps.GREATER_EQUAL, "oge", "sge");
        compare(ElementwiseOps.EQUAL, "oeq", "eq");
        compare(ElementwiseOps.NOT_EQUAL, "une", "ne");
        binary(ElementwiseOps.LOGICAL_AND, (cx, x, y) -> cx.bin("and", x, y));
        binary(ElementwiseOps.LOGICAL_OR, (cx, x, y) -> cx.bin("or", x, y));
        unary(ElementwiseOps.LOGICAL_NOT, (cx, x) -> cx.bin("xor", x, new Reg("true", BOOL)));

        // ---- casts
        RULES.put(ElementwiseOps.CAST, (cx, n, in) -> CastLowering.cast(cx, in.get(0), n.inputs().get(0).dtype(), n.attrs().getDType("dtype")));
    }

    private static void compare(OpDef op, String floatPred, String intPred) {
        binary(op, (cx, x, y) -> new Reg(cx.cmp(isFloat(x) ? "fcmp " + floatPred : "icmp " + intPred, x, y), BOOL));
    }

    /** A float32 op the interpreter computes in double: the double result rounded once. */
    private static Reg narrowLike(KernelContext cx, Reg like, Reg wide) { return like.type() == F32 ? cx.fptrunc(wide) : wide; }

    /** A C library function on doubles, applied to a float through double as the interpreter does. */
    private static Reg libm(KernelContext cx, String fn, Reg x) { return narrowLike(cx, x, cx.call(fn, F64, cx.fpext(x))); }

    private static Reg helper(KernelContext cx, String fn, Reg x) {
        MathFunctions.use(cx.module, fn);
        return cx.call(fn, F64, x);
    }

    /** A {@link dev.tfjit.ir.kernels.FloatMath} function on a float (computed in float, vectorizable). */
    private static Reg floatHelper(KernelContext cx, String fn, Reg x) {
        MathFunctions.use(cx.module, fn);
        return cx.call(fn, F32, x);
    }

    /** {@code FloatMath.exp(x)} for floats (vectorized), the C library's exp for doubles. */
    private static Reg exp(KernelContext cx, Reg x) {
        return x.type() == F32 ? floatHelper(cx, "@tfjit_expf", x) : cx.call("@exp", F64, x);
    }

    /** ScalarMath.maximum/minimum: NaN from either side wins; ties return the second operand. */
    private static Reg nanWins(KernelContext cx, String pred, Reg x, Reg y) {
        String better = cx.cmp(pred, x, y);
        String nan = cx.cmp("fcmp uno", x, x);
        return cx.select(cx.f.let("or i1 " + better + ", " + nan), x, y);
    }

    private static Reg sign(KernelContext cx, Reg x) {
        if (!isFloat(x)) {
            Reg pos = new Reg(cx.f.let("zext i1 " + cx.cmp("icmp sgt", x, cx.lit(x.type(), 0)) + " to " + x.llvmType()), x.type());
            Reg neg = new Reg(cx.f.let("zext i1 " + cx.cmp("icmp slt", x, cx.lit(x.type(), 0)) + " to " + x.llvmType()), x.type());
            return cx.bin("sub", pos, neg);
        }
        Reg zeroOrNan = cx.select(cx.cmp("fcmp oeq", x, cx.lit(x.type(), 0)), cx.lit(x.type(), 0), x);
        Reg neg = cx.select(cx.cmp("fcmp olt", x, cx.lit(x.type(), 0)), cx.lit(x.type(), -1), zeroOrNan);
        return cx.select(cx.cmp("fcmp ogt", x, cx.lit(x.type(), 0)), cx.lit(x.type(), 1), neg);
    }

    private static Reg softplus(KernelContext cx, Reg x) {
        ComputeType c = x.type();
        double threshold = c == F32 ? (float) Math.log(Math.ulp(1f)) + 2f : Math.log(Math.ulp(1.0)) + 2;
        Reg e = exp(cx, x);
        Reg log1p = libm(cx, "@log1p", e);
        Reg small = cx.select(cx.cmp("fcmp olt", x, cx.lit(c, threshold)), e, log1p);
        return cx.select(cx.cmp("fcmp ogt", x, cx.lit(c, -threshold)), x, small);
    }

    /** Raises division by zero where {@code y} is 0 and returns a divisor that is safe to use (1 there). */
    private static Reg checkedDivisor(KernelContext cx, Reg y) {
        String zero = cx.cmp("icmp eq", y, cx.lit(y.type(), 0));
        cx.raiseIf(zero, DIVISION_BY_ZERO);
        return cx.select(zero, cx.lit(y.type(), 1), y);
    }

    /**
     * Java's integer {@code /} or {@code %} for a non-zero divisor: MIN / -1 wraps to MIN and
     * MIN % -1 is 0, where LLVM's sdiv/srem would be undefined (and x86 would trap).
     */
    private static Reg javaDiv(KernelContext cx, Reg x, Reg y, boolean remainder) {
        String minusOne = cx.cmp("icmp eq", y, cx.lit(y.type(), -1));
        Reg safe = cx.select(minusOne, cx.lit(y.type(), 1), y);
        if (remainder) return cx.select(minusOne, cx.lit(y.type(), 0), cx.bin("srem", x, safe));
        return cx.select(minusOne, cx.bin("sub", cx.lit(x.type(), 0), x), cx.bin("sdiv", x, safe));
    }

    /** ScalarMath.floorDiv: floats floor the flushed quotient; ints round toward -inf with C's wrap at MIN. */
    private static Reg floorDiv(KernelContext cx, Reg x, Reg y) {
        if (isFloat(x)) return cx.intrinsic("floor", Scalars.ftz(cx.f, cx.bin("fdiv", x, y)));
        Reg d = checkedDivisor(cx, y);
        Reg zero = cx.lit(x.type(), 0);
        String differ = cx.f.let("xor i1 " + cx.cmp("icmp slt", x, zero) + ", " + cx.cmp("icmp slt", d, zero));
        Reg ax = cx.call("@llvm.abs." + x.llvmType(), x.type(), x, new Reg("false", BOOL));
        Reg ay = cx.call("@llvm.abs." + x.llvmType(), x.type(), d, new Reg("false", BOOL));
        Reg num = cx.bin("sub", zero, cx.bin("sub", cx.bin("add", ax, ay), cx.lit(x.type(), 1)));
        Reg down = javaDiv(cx, num, ay, false);
        return cx.select(differ, down, javaDiv(cx, x, d, false));
    }

    /** ScalarMath.floorMod: the truncated remainder moved to the divisor's sign. */
    private static Reg floorMod(KernelContext cx, Reg x, Reg y) {
        Reg r;
        Reg divisor = y;
        if (isFloat(x)) {
            r = Scalars.ftz(cx.f, cx.bin("frem", x, y));
        } else {
            divisor = checkedDivisor(cx, y);
            r = javaDiv(cx, x, divisor, true);
        }
        Reg zero = cx.lit(x.type(), 0);
        String nonZero = isFloat(x) ? cx.cmp("fcmp une", r, zero) : cx.cmp("icmp ne", r, zero);
        String yNeg = isFloat(x) ? cx.cmp("fcmp olt", divisor, zero) : cx.cmp("icmp slt", divisor, zero);
        String rNeg = isFloat(x) ? cx.cmp("fcmp olt", r, zero) : cx.cmp("icmp slt", r, zero);
        String differ = cx.f.let("xor i1 " + yNeg + ", " + rNeg);
        String move = cx.f.let("and i1 " + nonZero + ", " + differ);
        return cx.select(move, cx.bin(isFloat(x) ? "fadd" : "add", r, divisor), r);
    }

    /** C's pow for floats (through double for float32); square-and-multiply with wrap for ints. */
    private static Reg pow(KernelContext cx, Reg x, Reg y) {
        if (isFloat(x)) {
            Reg r = cx.call("@pow", F64, cx.fpext(x), cx.fpext(y));
            return narrowLike(cx, x, r);
        }
        String negative = cx.cmp("icmp slt", y, cx.lit(y.type(), 0));
        cx.raiseIf(negative, NEGATIVE_POWER);
        String t = x.llvmType();
        String fn = "@tfjit_ipow_" + t;
        cx.module.helper(fn, """
                define internal T @tfjit_ipow_T(T %x0, T %y0) {
                entry:
                  br label %loop
                loop:
                  %r = phi T [1, %entry], [%r2, %loop]
                  %x = phi T [%x0, %entry], [%x2, %loop]
                  %y = phi T [%y0, %entry], [%y2, %loop]
                  %odd = and T %y, 1
                  %isodd = icmp ne T %odd, 0
                  %rx = mul T %r, %x
                  %r2 = select i1 %isodd, T %rx, T %r
                  %y2 = lshr T %y, 1
                  %x2 = mul T %x, %x
                  %more = icmp ne T %y2, 0
                  br i1 %more, label %loop, label %done
                done:
                  ret T %r2
                }
                """.replace("T", t));
        Reg safeY = cx.select(negative, cx.lit(y.type(), 0), y);
        return cx.call(fn, x.type(), x, safeY);
    }

    /** Used by the emitter to check a whole graph before any code is generated. */
    static boolean supports(OpDef op, DType in) { return isElementwise(op) && in != DType.STRING; }
}
