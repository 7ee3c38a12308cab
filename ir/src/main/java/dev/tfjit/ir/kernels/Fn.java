package dev.tfjit.ir.kernels;

/** Scalar functions that elementwise kernels apply, one interface per compute type. */
public final class Fn {
    private Fn() {}

    @FunctionalInterface public interface F32 { float apply(float a); }
    @FunctionalInterface public interface F64 { double apply(double a); }
    @FunctionalInterface public interface I32 { int apply(int a); }
    @FunctionalInterface public interface I64 { long apply(long a); }
    @FunctionalInterface public interface Bool { boolean apply(boolean a); }

    @FunctionalInterface public interface F32F32 { float apply(float a, float b); }
    @FunctionalInterface public interface F64F64 { double apply(double a, double b); }
    @FunctionalInterface public interface I32I32 { int apply(int a, int b); }
    @FunctionalInterface public interface I64I64 { long apply(long a, long b); }
    @FunctionalInterface public interface BoolBool { boolean apply(boolean a, boolean b); }

    @FunctionalInterface public interface F32Test { boolean test(float a, float b); }
    @FunctionalInterface public interface F64Test { boolean test(double a, double b); }
    @FunctionalInterface public interface I32Test { boolean test(int a, int b); }
    @FunctionalInterface public interface I64Test { boolean test(long a, long b); }
    @FunctionalInterface public interface BoolTest { boolean test(boolean a, boolean b); }

    @FunctionalInterface public interface F32Is { boolean test(float a); }
    @FunctionalInterface public interface F64Is { boolean test(double a); }

    /**
     * Flush-to-zero: TensorFlow's CPU kernels run with FTZ and DAZ set, so subnormal inputs read
     * as (signed) zero and subnormal results are stored as zero.
     */
    public static float ftz(float x) { return Math.abs(x) < Float.MIN_NORMAL ? Math.copySign(0f, x) : x; }

    public static double ftz(double x) { return Math.abs(x) < Double.MIN_NORMAL ? Math.copySign(0.0, x) : x; }
}
