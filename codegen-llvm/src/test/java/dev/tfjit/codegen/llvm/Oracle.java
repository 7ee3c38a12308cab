package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrParser;
import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.GraphBuilder;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.Verifier;
import dev.tfjit.runtime.Executable;
import dev.tfjit.runtime.Interpreter;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Runs graphs on the LLVM backend and on the reference interpreter and compares the results. */
final class Oracle {
    private static final LlvmBackend BACKEND = new LlvmBackend();

    private Oracle() {}

    static Graph parse(String ir) {
        Graph g = IrParser.parse(ir);
        Verifier.verify(g);
        return g;
    }

    /** The concrete types of {@code g} for arguments shaped as {@code args}. */
    static ConcreteTypes types(Graph g, Buffer... args) {
        return ConcreteTypes.infer(g, java.util.Arrays.stream(args).map(Buffer::shape).toList());
    }

    static Executable compile(String ir) { return BACKEND.compile(parse(ir)); }

    static List<Buffer> compiled(String ir, Buffer... args) { return compile(ir).run(List.of(args)); }

    /** Both backends agree bit for bit (any NaN matches any NaN). */
    static void assertSame(String ir, Buffer... args) { assertWithinUlps(ir, 0, args); }

    /** Float results may differ by {@code ulps} units in the last place; everything else is bit-exact. */
    static void assertWithinUlps(String ir, long ulps, Buffer... args) {
        Graph g = parse(ir);
        List<Buffer> want = Interpreter.run(g, List.of(args));
        List<Buffer> got = BACKEND.compile(g).run(List.of(args));
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) assertClose(want.get(i), got.get(i), ulps, ir);
    }

    /**
     * The same results within {@code ulps}, or, when the interpreter fails, the same error class
     * and message from the compiled function (at compile time or run time).
     */
    static void assertSameOrSameError(String ir, long ulps, Buffer... args) { assertSameOrSameError(parse(ir), ulps, args); }

    /** As {@link #assertSameOrSameError(String, long, Buffer...)} for a built graph. */
    static void assertSameOrSameError(Graph g, long ulps, Buffer... args) {
        String ir = g.toString();
        List<Buffer> want;
        try {
            want = Interpreter.run(g, List.of(args));
        } catch (TfException e) {
            TfException got = assertThrows(TfException.class, () -> BACKEND.compile(g).run(List.of(args)), ir);
            assertEquals(e.getClass(), got.getClass(), ir);
            assertEquals(e.getMessage(), got.getMessage(), ir);
            return;
        }
        List<Buffer> got = BACKEND.compile(g).run(List.of(args));
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) assertClose(want.get(i), got.get(i), ulps, ir);
    }

    /**
     * One {@code op} node over parameters of unknown dims (one per argument, of its rank and
     * dtype), returning all its outputs: compiled and interpreted results must agree bit for bit,
     * or both must fail with the same error.
     */
    static void assertOp(OpDef op, Attrs attrs, Buffer... args) { assertOpWithinUlps(0, op, attrs, args); }

    static void assertOpWithinUlps(long ulps, OpDef op, Attrs attrs, Buffer... args) {
        GraphBuilder b = new GraphBuilder(op.name().replace('_', 'x'));
        List<Value> params = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            params.add(b.param(new TensorType(args[i].dtype(), Shape.unknownDims(args[i].shape().rank())), "p" + i));
        }
        List<Value> out;
        try {
            out = b.add(op, params, attrs, List.of(), new SourceLocation("OpTest.java", 1));
        } catch (TfException e) { // the type rule rejects it for any shape: nothing to compile
            fail("the op does not type-check: " + e.getMessage());
            return;
        }
        assertSameOrSameError(b.build(out), ulps, args);
    }

    static void assertClose(Buffer want, Buffer got, long ulps, String context) {
        assertEquals(want.dtype(), got.dtype(), context);
        assertEquals(want.shape(), got.shape(), context);
        for (long j = 0; j < want.size(); j++) {
            long d = ulpDistance(want, got, j);
            if (d > ulps) {
                fail("element " + j + ": interpreter " + describe(want, j) + ", llvm " + describe(got, j)
                        + " (" + d + " ulp apart, " + ulps + " allowed)\n" + context);
            }
        }
    }

    private static String describe(Buffer b, long j) {
        return b.dtype().isFloating() ? b.getDouble(j) + " [bits " + Long.toHexString(bits(b, j)) + "]" : Long.toString(b.getLong(j));
    }

    private static long bits(Buffer b, long j) {
        return switch (b.dtype()) {
            case FLOAT32 -> Float.floatToRawIntBits((float) b.getDouble(j)) & 0xffffffffL;
            case FLOAT64 -> Double.doubleToRawLongBits(b.getDouble(j));
            default -> b.segment().asSlice(j * b.dtype().byteSize(), b.dtype().byteSize())
                    .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)[0];
        };
    }

    /** 0 for identical elements or two NaNs; for floats the distance in representable values. */
    static long ulpDistance(Buffer want, Buffer got, long j) {
        DType t = want.dtype();
        if (!t.isFloating()) return want.getLong(j) == got.getLong(j) ? 0 : Long.MAX_VALUE;
        if (t == DType.FLOAT16 || t == DType.BFLOAT16) {
            short a = want.segment().getAtIndex(java.lang.foreign.ValueLayout.JAVA_SHORT, j);
            short b = got.segment().getAtIndex(java.lang.foreign.ValueLayout.JAVA_SHORT, j);
            if (a == b || (Double.isNaN(want.getDouble(j)) && Double.isNaN(got.getDouble(j)))) return 0;
            return Math.abs(ordered16(a) - ordered16(b));
        }
        double a = want.getDouble(j), b = got.getDouble(j);
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.isNaN(a) && Double.isNaN(b) ? 0 : Long.MAX_VALUE;
        if (t == DType.FLOAT32) return Math.abs(ordered(Float.floatToRawIntBits((float) a)) - ordered(Float.floatToRawIntBits((float) b)));
        long x = Double.doubleToRawLongBits(a), y = Double.doubleToRawLongBits(b);
        if (x == y) return 0;
        long ox = x < 0 ? Long.MIN_VALUE - x : x, oy = y < 0 ? Long.MIN_VALUE - y : y;
        return Math.abs(ox - oy);
    }

    /** Whether element {@code j} is a zero in both buffers but of different signs ({@link #ulpDistance} counts them equal). */
    static boolean zeroSignDiffers(Buffer want, Buffer got, long j) {
        if (!want.dtype().isFloating()) return false;
        double a = want.getDouble(j), b = got.getDouble(j);
        return a == 0 && b == 0 && Math.copySign(1.0, a) != Math.copySign(1.0, b);
    }

    private static long ordered(int bits) { return bits < 0 ? (long) Integer.MIN_VALUE - bits : bits; }

    private static long ordered16(short s) { return s < 0 ? -32768 - s : s; }
}
