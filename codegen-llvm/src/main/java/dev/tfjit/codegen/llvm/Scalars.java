package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Half;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.Fn;

/**
 * How elements move between memory and registers, matching the interpreter bit for bit:
 * narrow dtypes widen to their compute type on load and round back after every op (so a fused
 * chain rounds exactly where the interpreter stores), and floats are flushed to zero on the
 * way in and out of every op (TensorFlow's FTZ/DAZ), with an explicit select rather than the
 * MXCSR mode so that the result does not depend on the caller's floating-point state.
 */
public final class Scalars {
    private Scalars() {}

    public static String llvmType(ComputeType c) {
        return switch (c) {
            case F32 -> "float";
            case F64 -> "double";
            case I32 -> "i32";
            case I64 -> "i64";
            case BOOL -> "i1";
            case STRING -> throw new IllegalStateException("strings have no register form");
        };
    }

    /** The type an element of {@code t} has in memory. */
    public static String memoryType(DType t) {
        return switch (t) {
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            case FLOAT16 -> "half";
            case BFLOAT16, INT16 -> "i16";
            case INT8, UINT8, BOOL -> "i8";
            case INT32 -> "i32";
            case INT64 -> "i64";
            case STRING -> throw new IllegalStateException("strings have no memory form");
        };
    }

    /** Loads element {@code index} of a {@code t} buffer at {@code base} into its compute type. */
    public static Reg load(IrFunction f, DType t, String base, String index, boolean flush) {
        String mem = memoryType(t);
        String p = f.let("getelementptr inbounds " + mem + ", ptr " + base + ", i64 " + index);
        String raw = f.let("load " + mem + ", ptr " + p + group(f));
        ComputeType c = ComputeType.of(t);
        return switch (t) {
            case FLOAT32, FLOAT64 -> flush ? ftz(f, new Reg(raw, c)) : new Reg(raw, c);
            case FLOAT16 -> new Reg(f.let("fpext half " + raw + " to float"), c);
            case BFLOAT16 -> {
                String wide = f.let("zext i16 " + raw + " to i32");
                String bits = f.let("shl i32 " + wide + ", 16");
                Reg v = new Reg(f.let("bitcast i32 " + bits + " to float"), c);
                yield flush ? ftz(f, v) : v;
            }
            case INT8, INT16 -> new Reg(f.let("sext " + mem + " " + raw + " to i32"), c);
            case UINT8 -> new Reg(f.let("zext i8 " + raw + " to i32"), c);
            case INT32, INT64 -> new Reg(raw, c);
            case BOOL -> new Reg(f.let("icmp ne i8 " + raw + ", 0"), c);
            case STRING -> throw new IllegalStateException();
        };
    }

    private static String group(IrFunction f) { return f.accessGroup == null ? "" : ", !llvm.access.group " + f.accessGroup; }

    /** Stores a value of {@code t} (already rounded to it) at element {@code index} of {@code base}. */
    public static void store(IrFunction f, DType t, Reg v, String base, String index) { store(f, t, v, base, index, ""); }

    /** {@link #store} with {@code suffix} (store metadata such as {@link IrModule#nontemporal}) appended. */
    static void store(IrFunction f, DType t, Reg v, String base, String index, String suffix) {
        String mem = memoryType(t);
        String stored = switch (t) {
            case FLOAT32, FLOAT64, INT32, INT64 -> v.name();
            case FLOAT16 -> f.let("fptrunc float " + v.name() + " to half");
            case BFLOAT16 -> bfloat16Bits(f, v.name());
            case INT8, UINT8, INT16 -> f.let("trunc i32 " + v.name() + " to " + mem);
            case BOOL -> f.let("zext i1 " + v.name() + " to i8");
            case STRING -> throw new IllegalStateException();
        };
        String p = f.let("getelementptr inbounds " + mem + ", ptr " + base + ", i64 " + index);
        f.line("store " + mem + " " + stored + ", ptr " + p + suffix + group(f));
    }

    /**
     * An op's raw result in its compute type, made what the interpreter would have stored and
     * read back: flushed, and rounded to a narrow dtype.
     */
    public static Reg round(IrFunction f, DType t, Reg v) { return round(f, t, v, true); }

    /** As {@link #round(IrFunction, DType, Reg)}; {@code flushHalf} false skips the float32 flush before a bfloat16 rounding. */
    public static Reg round(IrFunction f, DType t, Reg v, boolean flushHalf) {
        return switch (t) {
            case FLOAT32, FLOAT64 -> ftz(f, v);
            case FLOAT16 -> {
                Reg flushed = ftz(f, v);
                String h = f.let("fptrunc float " + flushed.name() + " to half");
                yield new Reg(f.let("fpext half " + h + " to float"), ComputeType.F32);
            }
            case BFLOAT16 -> {
                Reg flushed = flushHalf ? ftz(f, v) : v;
                String bits = bfloat16Bits(f, flushed.name());
                String wide = f.let("zext i16 " + bits + " to i32");
                String shifted = f.let("shl i32 " + wide + ", 16");
                yield new Reg(f.let("bitcast i32 " + shifted + " to float"), ComputeType.F32);
            }
            case INT8, INT16 -> {
                String n = f.let("trunc i32 " + v.name() + " to " + memoryType(t));
                yield new Reg(f.let("sext " + memoryType(t) + " " + n + " to i32"), ComputeType.I32);
            }
            case UINT8 -> {
                String n = f.let("trunc i32 " + v.name() + " to i8");
                yield new Reg(f.let("zext i8 " + n + " to i32"), ComputeType.I32);
            }
            case INT32, INT64, BOOL -> v;
            case STRING -> throw new IllegalStateException();
        };
    }

    /** {@link Half#floatToBfloat16}: round to nearest even, NaN kept quiet. */
    private static String bfloat16Bits(IrFunction f, String x) {
        String bits = f.let("bitcast float " + x + " to i32");
        String hi = f.let("lshr i32 " + bits + ", 16");
        String lsb = f.let("and i32 " + hi + ", 1");
        String bias = f.let("add i32 " + lsb + ", 32767");
        String rounded = f.let("add i32 " + bits + ", " + bias);
        String top = f.let("lshr i32 " + rounded + ", 16");
        String quiet = f.let("or i32 " + hi + ", 64");
        String nan = f.let("fcmp uno float " + x + ", 0.0");
        String pick = f.let("select i1 " + nan + ", i32 " + quiet + ", i32 " + top);
        return f.let("trunc i32 " + pick + " to i16");
    }

    /** {@link Fn#ftz}: subnormals become zero of the same sign. Integers pass through. */
    public static Reg ftz(IrFunction f, Reg v) {
        if (v.type() != ComputeType.F32 && v.type() != ComputeType.F64) return v;
        // On the bits: a zero exponent field means zero or subnormal, and then only the sign is
        // kept. The same as |x| < MIN_NORMAL ? copysign(0, x) : x, in two vector instructions
        // (a test of the exponent into a mask, a masked and) where the compare takes three.
        boolean f32 = v.type() == ComputeType.F32;
        String ty = v.llvmType(), bits = f32 ? "i32" : "i64";
        String exponent = f32 ? "2139095040" : "9218868437227405312", sign = f32 ? "-2147483648" : "-9223372036854775808";
        String b = f.let("bitcast " + v.typed() + " to " + bits);
        String tiny = f.let("icmp eq " + bits + " " + f.let("and " + bits + " " + b + ", " + exponent) + ", 0");
        String kept = f.let("select i1 " + tiny + ", " + bits + " " + f.let("and " + bits + " " + b + ", " + sign) + ", " + bits + " " + b);
        return new Reg(f.let("bitcast " + bits + " " + kept + " to " + ty), v.type());
    }

    /** A float constant in LLVM's form: the double whose value it is, in hex (exact for every float, NaN included). */
    public static String floatLiteral(float x) { return doubleLiteral(x); }

    public static String doubleLiteral(double x) {
        return String.format("0x%016X", Double.doubleToRawLongBits(x));
    }

    /** A literal of compute type {@code c} holding {@code v} (integers are truncated to the type). */
    public static String literal(ComputeType c, double v) {
        return switch (c) {
            case F32 -> floatLiteral((float) v);
            case F64 -> doubleLiteral(v);
            case I32 -> Integer.toString((int) v);
            case I64 -> Long.toString((long) v);
            case BOOL -> v != 0 ? "true" : "false";
            case STRING -> throw new IllegalStateException();
        };
    }

    /**
     * Element {@code i} of a constant buffer as the literal the interpreter would compute with:
     * widened, and flushed like a loaded float.
     */
    public static Reg constant(dev.tfjit.ir.Buffer b, long i, boolean flush) {
        DType t = b.dtype();
        ComputeType c = ComputeType.of(t);
        var seg = b.segment();
        String lit = switch (t) {
            case FLOAT32 -> {
                float x = seg.getAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i);
                yield floatLiteral(flush ? Fn.ftz(x) : x);
            }
            case FLOAT64 -> {
                double x = seg.getAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, i);
                yield doubleLiteral(flush ? Fn.ftz(x) : x);
            }
            case FLOAT16 -> floatLiteral(Float.float16ToFloat(seg.getAtIndex(java.lang.foreign.ValueLayout.JAVA_SHORT, i)));
            case BFLOAT16 -> {
                float x = Half.bfloat16ToFloat(seg.getAtIndex(java.lang.foreign.ValueLayout.JAVA_SHORT, i));
                yield floatLiteral(flush ? Fn.ftz(x) : x);
            }
            case BOOL -> b.getBoolean(i) ? "true" : "false";
            case INT8, UINT8, INT16, INT32 -> Integer.toString((int) b.getLong(i));
            case INT64 -> Long.toString(b.getLong(i));
            case STRING -> throw new IllegalStateException();
        };
        return new Reg(lit, c);
    }
}
