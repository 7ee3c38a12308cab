package dev.tfjit.ir.kernels;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Kernels of TensorFlow's string ops. TF strings are byte strings holding UTF-8; tfjit keeps
 * them as Java strings, so byte units are measured on the UTF-8 encoding.
 */
public final class Strings {
    private Strings() {}

    /** How string positions and lengths are counted ({@code unit} in TF). */
    public enum Unit { BYTE, UTF8_CHAR }

    public static Unit unit(String name) {
        try {
            return Unit.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentError("unit must be one of BYTE, UTF8_CHAR, got '" + name + "'");
        }
    }

    public static Buffer length(Buffer in, Unit unit) {
        Buffer out = Buffer.allocate(DType.INT32, in.shape());
        String[] s = in.strings();
        MemorySegment o = out.segment();
        for (int i = 0; i < s.length; i++) {
            int n = unit == Unit.BYTE ? utf8Length(s[i]) : s[i].codePointCount(0, s[i].length());
            o.setAtIndex(ValueLayout.JAVA_INT, i, n);
        }
        return out;
    }

    /** UTF-8 byte count without encoding the string. */
    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    /** TF's {@code StringJoin}: element-wise concatenation of same-shaped or scalar inputs. */
    public static Buffer join(List<Buffer> in, String separator) {
        Shape shape = joinShape(in.stream().map(Buffer::shape).toList());
        Buffer out = Buffer.allocate(DType.STRING, shape);
        String[] o = out.strings();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < o.length; i++) {
            sb.setLength(0);
            for (int k = 0; k < in.size(); k++) {
                if (k > 0) sb.append(separator);
                Buffer b = in.get(k);
                sb.append(b.strings()[b.size() == 1 && b.shape().rank() == 0 ? 0 : i]);
            }
            o[i] = sb.toString();
        }
        return out;
    }

    /** The output shape of a join: the common shape of the non-scalar inputs. */
    public static Shape joinShape(List<Shape> shapes) {
        Shape common = Shape.SCALAR;
        boolean seen = false;
        for (Shape s : shapes) {
            if (s.hasRank() && s.rank() == 0) continue;
            if (!seen) {
                common = s;
                seen = true;
            } else if (s.isFullyKnown() && common.isFullyKnown() && !s.equals(common)) {
                throw new InvalidArgumentError("Input shapes do not match: " + common.brief() + " vs. " + s.brief());
            } else {
                common = common.mostSpecificCommon(s);
            }
        }
        return common;
    }

    /** TF's {@code Add} on strings: concatenation with NumPy broadcasting. */
    public static Buffer concat(Buffer a, Buffer b) {
        Shape shape = Broadcast.shapes(a.shape(), b.shape());
        Buffer out = Buffer.allocate(DType.STRING, shape);
        String[] x = a.strings(), y = b.strings(), o = out.strings();
        long[][] strides = {Broadcast.readStrides(a.shape(), shape), Broadcast.readStrides(b.shape(), shape)};
        Strided.forEachRow(shape, strides, (outOff, inOff, rowStrides, len) -> {
            for (long i = 0; i < len; i++) {
                o[(int) (outOff + i)] = x[(int) (inOff[0] + i * rowStrides[0])] + y[(int) (inOff[1] + i * rowStrides[1])];
            }
        });
        return out;
    }

    /**
     * {@code StringUpper}/{@code StringLower}: with no encoding only ASCII letters change (TF
     * works on bytes); with {@code utf-8} every letter does.
     */
    public static Buffer changeCase(Buffer in, String encoding, boolean upper) {
        UnaryOperator<String> f;
        if (encoding.isEmpty()) f = upper ? Strings::asciiUpper : Strings::asciiLower;
        else if (encoding.equalsIgnoreCase("utf-8") || encoding.equalsIgnoreCase("utf8")) {
            f = upper ? s -> s.toUpperCase(Locale.ROOT) : s -> s.toLowerCase(Locale.ROOT);
        } else throw new InvalidArgumentError("encoding must be '' or 'utf-8', got '" + encoding + "'");
        Buffer out = Buffer.allocate(DType.STRING, in.shape());
        String[] s = in.strings(), o = out.strings();
        for (int i = 0; i < s.length; i++) o[i] = f.apply(s[i]);
        return out;
    }

    private static String asciiUpper(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) if (c[i] >= 'a' && c[i] <= 'z') c[i] -= 32;
        return new String(c);
    }

    private static String asciiLower(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) if (c[i] >= 'A' && c[i] <= 'Z') c[i] += 32;
        return new String(c);
    }

    /**
     * TF's {@code Substr}: from {@code pos} (negative counts from the end) take up to {@code len}
     * units. {@code pos} and {@code len} are scalars or have the input's shape. A {@code pos}
     * outside {@code [-size, size]} is TF's error.
     */
    public static Buffer substr(Buffer in, Buffer pos, Buffer len, Unit unit) {
        Buffer out = Buffer.allocate(DType.STRING, in.shape());
        String[] s = in.strings(), o = out.strings();
        boolean scalarPos = pos.shape().rank() == 0, scalarLen = len.shape().rank() == 0;
        for (int i = 0; i < s.length; i++) {
            long p = pos.getLong(scalarPos ? 0 : i), l = len.getLong(scalarLen ? 0 : i);
            o[i] = unit == Unit.BYTE ? substrBytes(s[i], p, l, i) : substrChars(s[i], p, l, i);
        }
        return out;
    }

    private static String substrBytes(String str, long pos, long len, int index) {
        byte[] b = str.getBytes(StandardCharsets.UTF_8);
        long start = checkPos(str, pos, b.length, index);
        long end = len < 0 ? b.length : Math.min(b.length, start + len);
        return new String(b, (int) start, (int) (end - start), StandardCharsets.UTF_8);
    }

    private static String substrChars(String str, long pos, long len, int index) {
        int count = str.codePointCount(0, str.length());
        long start = checkPos(str, pos, count, index);
        long end = len < 0 ? count : Math.min(count, start + len);
        int from = str.offsetByCodePoints(0, (int) start);
        int to = str.offsetByCodePoints(from, (int) (end - start));
        return str.substring(from, to);
    }

    private static long checkPos(String str, long pos, int size, int index) {
        if (pos > size || pos < -(long) size) {
            throw new InvalidArgumentError("pos " + pos + " out of range for string b'" + str + "' at index " + index);
        }
        return pos < 0 ? pos + size : pos;
    }

    /** Checks that {@code pos}/{@code len} are scalars or have the input's shape. */
    public static void checkSubstrShapes(Shape input, Shape pos, Shape len) {
        for (Shape s : new Shape[] {pos, len}) {
            if (!s.hasRank() || s.rank() == 0 || !input.hasRank()) continue;
            if (s.rank() != input.rank() || (s.isFullyKnown() && input.isFullyKnown() && !s.equals(input))) {
                throw new ShapeError("substr: pos and len must be scalars or have the input's shape "
                        + input.brief() + ", got " + s.brief());
            }
        }
    }
}
