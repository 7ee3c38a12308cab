package dev.tfjit.ir;

import java.util.Random;

/** Random attribute values and tensors for round-trip fuzzing, biased toward the hard cases. */
final class RandomIr {
    private static final DType[] DTYPES = DType.values();
    private static final String NASTY_CHARS = "\"\\\n\t\r\u0000\u007f\u00e9\u4e2d\ud83d\ude00 %{}[]<>,:=";

    private final Random rnd;

    RandomIr(Random rnd) { this.rnd = rnd; }

    DType dtype() { return DTYPES[rnd.nextInt(DTYPES.length)]; }

    Shape shape() {
        return switch (rnd.nextInt(6)) {
            case 0 -> Shape.SCALAR;
            case 1 -> Shape.unknownRank();
            case 2 -> Shape.of(rnd.nextInt(4));
            case 3 -> Shape.of(-1, rnd.nextInt(3));
            case 4 -> Shape.of(0, 2);
            default -> Shape.of(rnd.nextInt(3), rnd.nextInt(3), 1);
        };
    }

    Shape concreteShape() {
        return switch (rnd.nextInt(4)) {
            case 0 -> Shape.SCALAR;
            case 1 -> Shape.of(rnd.nextInt(4));
            case 2 -> Shape.of(0, 3);
            default -> Shape.of(1 + rnd.nextInt(2), 1 + rnd.nextInt(3));
        };
    }

    long anyLong() {
        return switch (rnd.nextInt(4)) {
            case 0 -> Long.MIN_VALUE;
            case 1 -> Long.MAX_VALUE;
            case 2 -> rnd.nextInt(21) - 10;
            default -> rnd.nextLong();
        };
    }

    /** Any double bit pattern, NaN payloads and negative zero included. */
    double anyDouble() {
        return switch (rnd.nextInt(6)) {
            case 0 -> -0.0;
            case 1 -> Double.NaN;
            case 2 -> Double.longBitsToDouble(0x7ff0000000000000L | (rnd.nextLong() >>> 12) | 1L); // NaN with a payload
            case 3 -> rnd.nextBoolean() ? Double.POSITIVE_INFINITY : Double.MIN_VALUE;
            case 4 -> rnd.nextGaussian();
            default -> Double.longBitsToDouble(rnd.nextLong());
        };
    }

    String string() {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(6);
        for (int i = 0; i < n; i++) {
            sb.append(rnd.nextInt(3) == 0 ? NASTY_CHARS.charAt(rnd.nextInt(NASTY_CHARS.length())) : (char) (0x20 + rnd.nextInt(0x5f)));
        }
        if (rnd.nextInt(8) == 0) sb.append((char) (0xd800 + rnd.nextInt(0x800))); // a lone surrogate
        return sb.toString();
    }

    String attrName() {
        return rnd.nextInt(5) == 0 ? "odd " + string() : "a" + rnd.nextInt(1000);
    }

    AttrValue attr() {
        return switch (rnd.nextInt(9)) {
            case 0 -> new AttrValue.Int(anyLong());
            case 1 -> new AttrValue.Float(anyDouble());
            case 2 -> new AttrValue.Bool(rnd.nextBoolean());
            case 3 -> new AttrValue.Str(string());
            case 4 -> {
                long[] v = new long[rnd.nextInt(4)];
                for (int i = 0; i < v.length; i++) v[i] = anyLong();
                yield new AttrValue.Ints(v);
            }
            case 5 -> {
                double[] v = new double[rnd.nextInt(4)];
                for (int i = 0; i < v.length; i++) v[i] = anyDouble();
                yield new AttrValue.Floats(v);
            }
            case 6 -> new AttrValue.Type(dtype());
            case 7 -> new AttrValue.ShapeAttr(shape());
            default -> new AttrValue.Tensor(tensor(dtype(), concreteShape()));
        };
    }

    /** A tensor whose elements are random bit patterns (every float bit pattern must survive the text). */
    Buffer tensor(DType dtype, Shape shape) {
        if (dtype == DType.STRING) {
            String[] s = new String[(int) shape.numElements()];
            for (int i = 0; i < s.length; i++) s[i] = string();
            return Buffer.ofStrings(shape, s);
        }
        Buffer b = Buffer.allocate(dtype, shape);
        for (long i = 0; i < b.size(); i++) {
            if (dtype.isFloating()) {
                long bits = switch (rnd.nextInt(3)) {
                    case 0 -> Double.doubleToRawLongBits(anyDouble());
                    default -> rnd.nextLong();
                };
                int width = dtype.byteSize() * 8;
                FloatBits.setRaw(b, i, width == 64 ? bits : bits & ((1L << width) - 1));
            } else {
                b.setLong(i, anyLong());
            }
        }
        return b;
    }

    SourceLocation location() {
        return switch (rnd.nextInt(4)) {
            case 0 -> SourceLocation.UNKNOWN;
            case 1 -> new SourceLocation("Model.java", rnd.nextInt(500));
            case 2 -> new SourceLocation("dev.app.Model$" + rnd.nextInt(9), rnd.nextInt(50));
            default -> new SourceLocation(string(), rnd.nextInt(10));
        };
    }
}
