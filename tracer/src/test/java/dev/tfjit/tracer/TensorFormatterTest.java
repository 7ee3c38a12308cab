package dev.tfjit.tracer;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.format.TensorFormatter;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Expected strings follow NumPy's documented array printing (arrayprint.py, legacy=False,
 * defaults precision=8, linewidth=75, threshold=1000, edgeitems=3) and TensorFlow's wrapper;
 * several are the well-known outputs of {@code np.arange} and the seeds' examples.
 */
class TensorFormatterTest {

    static Buffer f32(int[] shape, float... v) { return Buffer.ofFloats(Shape.of(shape), v); }

    static Buffer f64(int[] shape, double... v) { return Buffer.ofDoubles(Shape.of(shape), v); }

    static int[] dims(int... d) { return d; }

    static String str(Buffer b) { return TensorFormatter.numpyStr(b); }

    static String repr(Buffer b) { return TensorFormatter.numpyRepr(b); }

    @Nested
    class TensorFlowWrapper {
        @Test
        void scalarFromTheSeeds() {
            assertEquals("tf.Tensor(6.0, shape=(), dtype=float32)", Tf.constant(6f).toString());
        }

        @Test
        void multiLineArrayStartsOnItsOwnLine() {
            assertEquals("tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)",
                    Tf.constant(new float[][]{{1, 2}, {3, 4}}).toString());
        }

        @Test
        void vector() {
            assertEquals("tf.Tensor([1 2 3], shape=(3,), dtype=int32)", Tf.constant(new int[]{1, 2, 3}).toString());
        }

        @Test
        void reprLikeTheSeeds() {
            assertEquals("<tf.Tensor: shape=(2, 3), dtype=float32, numpy=\narray([[1., 2., 3.],\n       [4., 5., 6.]], dtype=float32)>",
                    TensorFormatter.repr(f32(dims(2, 3), 1, 2, 3, 4, 5, 6)));
            assertEquals("<tf.Tensor: shape=(), dtype=int32, numpy=42>", TensorFormatter.repr(Buffer.ofInts(Shape.SCALAR, 42)));
            assertEquals("<tf.Tensor: shape=(), dtype=float32, numpy=42.0>", TensorFormatter.repr(f32(dims(), 42)));
        }

        @Test
        void emptyTensor() {
            assertEquals("tf.Tensor([], shape=(0,), dtype=float32)", TensorFormatter.format(f32(dims(0))));
            assertEquals("tf.Tensor([], shape=(2, 0), dtype=int32)", TensorFormatter.format(Buffer.allocate(DType.INT32, 2, 0)));
        }
    }

    @Nested
    class Floats {
        @Test
        void wholeNumbersKeepTheTrailingDot() {
            assertEquals("[1. 2. 3.]", str(f32(dims(3), 1, 2, 3)));
            assertEquals("array([1., 2., 3.], dtype=float32)", repr(f32(dims(3), 1, 2, 3)));
        }

        @Test
        void fractionsArePaddedToTheLongest() {
            assertEquals("[1.  2.5]", str(f32(dims(2), 1, 2.5f)));
            assertEquals("[-1.5  2. ]", str(f64(dims(2), -1.5, 2)));
            assertEquals("[  1.  100.5]", str(f64(dims(2), 1, 100.5)));
        }

        @Test
        void shortestDigitsOfTheDtype() {
            assertEquals("[0.1 0.2 0.3]", str(f32(dims(3), 0.1f, 0.2f, 0.3f)));
            assertEquals("[0.33333334]", str(f32(dims(1), 1f / 3)));
            assertEquals("[0.3]", str(f64(dims(1), 0.1 + 0.2)), "rounded to 8 digits, then trailing zeros trimmed");
            assertEquals("[0.33333333]", str(f64(dims(1), 1.0 / 3)));
            assertEquals("[0.12345679]", str(f64(dims(1), 0.123456789123)));
        }

        @Test
        void scalarsUseNumpysScalarStr() {
            assertEquals("3.0", str(f32(dims(), 3)));
            assertEquals("0.1", str(f32(dims(), 0.1f)));
            assertEquals("0.30000000000000004", str(f64(dims(), 0.1 + 0.2)), "no precision limit for scalars");
            assertEquals("1e-05", str(f32(dims(), 1e-5f)));
            assertEquals("1.5e+20", str(f64(dims(), 1.5e20)));
            assertEquals("1e+16", str(f64(dims(), 1e16)));
            assertEquals("1234567.0", str(f64(dims(), 1234567)));
            assertEquals("-0.0", str(f32(dims(), -0f)));
            assertEquals("nan", str(f32(dims(), Float.NaN)));
            assertEquals("-inf", str(f64(dims(), Double.NEGATIVE_INFINITY)));
        }

        @Test
        void float32TenThousandthIsBelowItsDecimalValue() {
            // 1e-4f is 9.99999974e-05, which is < 1e-4: scientific for a scalar str.
            assertEquals("1e-04", str(f32(dims(), 1e-4f)));
        }

        @Test
        void smallValuesSwitchToScientific() {
            assertEquals("array([1.e-05, 1.e+00])", repr(f64(dims(2), 1e-5, 1)));
            assertEquals("array([1.5e-05, 1.0e+00])", repr(f64(dims(2), 1.5e-5, 1)));
        }

        @Test
        void largeValuesAndWideRatiosSwitchToScientific() {
            assertEquals("[1.e+10 1.e+00]", str(f64(dims(2), 1e10, 1)));
            assertEquals("[1.e+08]", str(f32(dims(1), 1e8f)));
            assertEquals("[   1. 1000.]", str(f64(dims(2), 1, 1000)), "a ratio of exactly 1000 stays positional");
            assertEquals("[1.000e+00 1.001e+03]", str(f64(dims(2), 1, 1001)));
        }

        @Test
        void threeDigitExponentsWidenEveryExponent() {
            assertEquals("[1.e+300 1.e+000]", str(f64(dims(2), 1e300, 1)));
        }

        @Test
        void negativeZero() {
            assertEquals("[-0.  1.]", str(f64(dims(2), -0.0, 1)));
        }

        @Test
        void nanAndInfinityAlignWithNumbers() {
            assertEquals("array([  1.,  nan,  inf, -inf])",
                    repr(f64(dims(4), 1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)));
            assertEquals("[nan inf]", str(f32(dims(2), Float.NaN, Float.POSITIVE_INFINITY)));
            assertEquals("[1.e-05    nan]", str(f64(dims(2), 1e-5, Double.NaN)));
        }

        @Test
        void scientificDigitsBeyondTheShortestAreTheExactValues() {
            // Dragon4 keeps producing digits of the exact binary value to reach the common
            // precision: 0.3f is 0.30000001192..., so 7 fraction digits show "3.0000001".
            assertEquals("[3.0000001e-01 1.2345679e-05]", str(f32(dims(2), 0.3f, 1.2345679e-05f)));
        }

        @Test
        void allZeros() {
            assertEquals("[[0. 0.]\n [0. 0.]]", str(f32(dims(2, 2), 0, 0, 0, 0)));
        }
    }

    @Nested
    class HalfFloats {
        @Test
        void float16UsesItsOwnShortestDigits() {
            Buffer h = Buffer.allocate(DType.FLOAT16, 2);
            h.setDouble(0, 0.1);
            h.setDouble(1, 1);
            assertEquals("[0.1 1. ]", str(h));
            assertEquals("array([0.1, 1. ], dtype=float16)", repr(h));
            Buffer third = Buffer.scalar(DType.FLOAT16, 1.0 / 3);
            assertEquals("0.3333", str(third), "0.33325195 is the half nearest 1/3; 4 digits identify it");
            assertEquals("65500.0", str(Buffer.scalar(DType.FLOAT16, 65504)));
        }

        @Test
        void float16RangeRatioGoesScientific() {
            Buffer h = Buffer.allocate(DType.FLOAT16, 2);
            h.setDouble(0, 65504);
            h.setDouble(1, 1);
            assertEquals("[6.55e+04 1.00e+00]", str(h), "6.55e4 is the shortest decimal that rounds to 65504 in float16");
        }

        @Test
        void bfloat16PrintsLikeCppStreams() {
            Buffer b = Buffer.allocate(DType.BFLOAT16, 3);
            b.setDouble(0, 1);
            b.setDouble(1, 2);
            b.setDouble(2, 3.14159);
            assertEquals("tf.Tensor([1 2 3.14062], shape=(3,), dtype=bfloat16)", TensorFormatter.format(b));
            assertEquals("array([1, 2, 3.14062], dtype=bfloat16)", repr(b));
            assertEquals("9.99922e+09", str(Buffer.scalar(DType.BFLOAT16, 1e10)), "1e10 rounds to 149 * 2^26 = 9999220736 in bfloat16");
        }
    }

    @Nested
    class IntegersBoolsStrings {
        @Test
        void integersAreRightAligned() {
            assertEquals("[  1 -20 300]", str(Buffer.ofInts(Shape.of(3), 1, -20, 300)));
            assertEquals("array([  1, -20, 300], dtype=int32)", repr(Buffer.ofInts(Shape.of(3), 1, -20, 300)));
            assertEquals("array([1, 2])", repr(Buffer.ofLongs(Shape.of(2), 1, 2)), "int64 is NumPy's default int");
            assertEquals("[255   0]", str(Buffer.ofBytes(DType.UINT8, Shape.of(2), (byte) 255, (byte) 0)));
        }

        @Test
        void boolsAlignTrueWithFalse() {
            assertEquals("[ True False]", str(Buffer.ofBooleans(Shape.of(2), true, false)));
            assertEquals("array([ True, False])", repr(Buffer.ofBooleans(Shape.of(2), true, false)));
            assertEquals("tf.Tensor(True, shape=(), dtype=bool)", TensorFormatter.format(Buffer.ofBooleans(Shape.SCALAR, true)));
        }

        @Test
        void stringsAreBytes() {
            assertEquals("tf.Tensor([b'abc' b'de'], shape=(2,), dtype=string)",
                    TensorFormatter.format(Buffer.ofStrings(Shape.of(2), "abc", "de")));
            assertEquals("tf.Tensor(b'hello', shape=(), dtype=string)", TensorFormatter.format(Buffer.ofStrings(Shape.SCALAR, "hello")));
            assertEquals("array([b'abc', b'de'], dtype=object)", repr(Buffer.ofStrings(Shape.of(2), "abc", "de")));
        }

        @Test
        void stringsEscapeLikePythonBytes() {
            assertEquals("b\"it's\"", str(Buffer.ofStrings(Shape.SCALAR, "it's")));
            assertEquals("b'say \"hi\" it\\'s'", str(Buffer.ofStrings(Shape.SCALAR, "say \"hi\" it's")));
            assertEquals("b'\\xc3\\xa9\\t\\n\\\\'", str(Buffer.ofStrings(Shape.SCALAR, "é\t\n\\")));
        }
    }

    @Nested
    class Layout {
        @Test
        void higherRanksSeparateBlocksWithBlankLines() {
            Buffer b = Buffer.ofInts(Shape.of(2, 2, 2), IntStream.range(0, 8).toArray());
            assertEquals("[[[0 1]\n  [2 3]]\n\n [[4 5]\n  [6 7]]]", str(b));
            assertEquals("array([[[0, 1],\n        [2, 3]],\n\n       [[4, 5],\n        [6, 7]]], dtype=int32)", repr(b));
        }

        @Test
        void rankFourNestsBracketsAndIndents() {
            assertEquals("[[[[0 0]\n   [0 0]]]]", str(Buffer.allocate(DType.INT32, 1, 1, 2, 2)));
        }

        @Test
        void tensorToNumpyString() {
            assertEquals("array([1, 2], dtype=int32)", Tf.constant(new int[]{1, 2}).toNumpyString());
        }

        @Test
        void rowsWrapAtSeventyFiveColumns() {
            Buffer b = Buffer.ofLongs(Shape.of(30), IntStream.range(0, 30).asLongStream().toArray());
            assertEquals("[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n"
                    + " 24 25 26 27 28 29]", str(b));
            assertEquals("array([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16,\n"
                    + "       17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29])", repr(b));
        }

        @Test
        void paddedFloatsWrapToo() {
            float[] v = new float[30];
            for (int i = 0; i < v.length; i++) v[i] = i * 0.5f;
            assertEquals("[ 0.   0.5  1.   1.5  2.   2.5  3.   3.5  4.   4.5  5.   5.5  6.   6.5\n"
                    + "  7.   7.5  8.   8.5  9.   9.5 10.  10.5 11.  11.5 12.  12.5 13.  13.5\n"
                    + " 14.  14.5]", str(f32(dims(30), v)));
        }

        @Test
        void overAThousandElementsAreSummarized() {
            Buffer b = Buffer.ofLongs(Shape.of(1001), IntStream.range(0, 1001).asLongStream().toArray());
            assertEquals("[   0    1    2 ...  998  999 1000]", str(b));
            assertEquals("array([   0,    1,    2, ...,  998,  999, 1000])", repr(b));
        }

        @Test
        void exactlyAThousandElementsAreNot() {
            String s = str(Buffer.ofLongs(Shape.of(1000), new long[1000]));
            assertEquals(1000, s.chars().filter(c -> c == '0').count(), s);
            assertEquals(-1, s.indexOf("..."), s);
        }

        @Test
        void summaryInEveryLongAxis() {
            Buffer b = Buffer.ofLongs(Shape.of(40, 50), IntStream.range(0, 2000).asLongStream().toArray());
            assertEquals("[[   0    1    2 ...   47   48   49]\n"
                    + " [  50   51   52 ...   97   98   99]\n"
                    + " [ 100  101  102 ...  147  148  149]\n"
                    + " ...\n"
                    + " [1850 1851 1852 ... 1897 1898 1899]\n"
                    + " [1900 1901 1902 ... 1947 1948 1949]\n"
                    + " [1950 1951 1952 ... 1997 1998 1999]]", str(b));
        }

        @Test
        void summarizedFloatsAreLaidOutFromTheShownEdgesOnly() {
            double[] v = new double[2000];
            v[1000] = 1e-9; // hidden in the middle: must not force scientific notation
            v[1999] = 2.5;
            assertEquals("[0.  0.  0.  ... 0.  0.  2.5]", str(f64(dims(2000), v)));
        }

        @Test
        void emptyArraysInRepr() {
            assertEquals("array([], dtype=float32)", repr(f32(dims(0))));
            assertEquals("array([], shape=(2, 0), dtype=float64)", repr(Buffer.allocate(DType.FLOAT64, 2, 0)));
        }

        @Test
        void dtypeGoesOnItsOwnLineWhenTheLastLineIsFull() {
            float[] v = new float[17];
            for (int i = 0; i < v.length; i++) v[i] = i + 10;
            // "array([10., 11., ..., 26.]," is 75 wide on one line; ", dtype=float32)" would overflow.
            String r = repr(f32(dims(17), v));
            assertEquals("array([10., 11., 12., 13., 14., 15., 16., 17., 18., 19., 20., 21., 22.,\n"
                    + "       23., 24., 25., 26.], dtype=float32)", r);
        }
    }
}
