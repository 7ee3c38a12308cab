package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.GraphBuilder;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ElementwiseOps;
import dev.tfjit.runtime.Interpreter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every elementwise op, over every dtype its type rule accepts, agrees with the interpreter:
 * bit for bit for exact ops, within a documented ulp bound for transcendental ones. Inputs
 * include signed zeros, subnormals (FTZ), infinities, NaN and integer extremes.
 */
class ElementwiseOpsTest {
    /**
     * Max ulp distance from the interpreter. float32 transcendentals compute in double and round
     * once, so they match except next to a rounding boundary (1 ulp); float64 ones call the C
     * library where the interpreter calls Java's Math (at most a couple of ulps; erf: the
     * interpreter's own series, which is itself only good to about 1e-15).
     */
    private static long tolerance(OpDef op, DType t) {
        Set<String> transcendental = Set.of("exp", "expm1", "log", "log1p", "sin", "cos", "erf", "tanh", "sigmoid",
                "elu", "selu", "softplus", "pow");
        if (!transcendental.contains(op.name())) return 0;
        if (t == DType.FLOAT64) return op.name().equals("erf") ? 32 : 2;
        return 1;
    }

    static List<OpDef> elementwiseOps() throws IllegalAccessException {
        List<OpDef> ops = new ArrayList<>();
        for (Field f : ElementwiseOps.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == OpDef.class) ops.add((OpDef) f.get(null));
        }
        return ops;
    }

    private static Attrs attrsFor(OpDef op, DType target) {
        if (op == ElementwiseOps.LEAKY_RELU) return Attrs.of("alpha", 0.2);
        if (op == ElementwiseOps.CAST) return Attrs.of("dtype", target);
        return Attrs.EMPTY;
    }

    /** The graph {@code op(a[, b])} over the given dtype, or null when the op's type rule rejects it. */
    static Graph graph(OpDef op, DType t, Attrs attrs, Shape shape) {
        GraphBuilder b = new GraphBuilder("ew_" + op.name());
        List<Value> in = new ArrayList<>();
        for (int i = 0; i < op.minInputs(); i++) in.add(b.param(new TensorType(t, Shape.unknownDims(shape.rank())), "x" + i));
        try {
            Value out = b.add1(op, in, attrs, new SourceLocation("ElementwiseOpsTest.java", 1));
            return b.build(List.of(out));
        } catch (TfException e) {
            return null;
        }
    }

    @TestFactory
    List<DynamicTest> everyOpOverEveryDtypeMatchesTheInterpreter() throws IllegalAccessException {
        List<DynamicTest> tests = new ArrayList<>();
        Shape shape = Shape.of(5, 13);
        for (OpDef op : elementwiseOps()) {
            for (DType t : DType.values()) {
                if (t == DType.STRING) continue;
                List<DType> targets = op == ElementwiseOps.CAST
                        ? List.of(DType.values()).stream().filter(x -> x != DType.STRING).toList() : List.of(t);
                for (DType target : targets) {
                    Graph g = graph(op, t, attrsFor(op, target), shape);
                    if (g == null) continue;
                    String name = op.name() + "(" + t + (op == ElementwiseOps.CAST ? " -> " + target : "") + ")";
                    tests.add(DynamicTest.dynamicTest(name, () -> check(g, op, t, shape)));
                }
            }
        }
        assertTrue(tests.size() > 150, "the sweep found only " + tests.size() + " op/dtype pairs");
        return tests;
    }

    private static void check(Graph g, OpDef op, DType t, Shape shape) {
        for (long seed = 0; seed < 4; seed++) {
            List<Buffer> args = new ArrayList<>();
            for (int i = 0; i < op.minInputs(); i++) {
                // Exponents of integer pow stay small and non-negative; other operands cover the special values.
                boolean exponent = op == ElementwiseOps.POW && i == 1 && t.isInteger();
                args.add(exponent ? TestData.uniform(t, shape, seed * 7 + i, 5, false).copy() : TestData.mixed(t, shape, seed * 2 + i));
            }
            if (op == ElementwiseOps.POW && t.isInteger()) abs(args.get(1));
            assertSameOrSameError(g, args, tolerance(op, t));
        }
    }

    private static void abs(Buffer b) {
        for (long i = 0; i < b.size(); i++) b.setLong(i, Math.abs(b.getLong(i)));
    }

    /** Same values (within ulps), or the same error with the same message. */
    static void assertSameOrSameError(Graph g, List<Buffer> args, long ulps) {
        List<Buffer> want;
        try {
            want = Interpreter.run(g, args);
        } catch (TfException e) {
            TfException got = assertThrows(TfException.class, () -> new LlvmBackend().compile(g).run(args));
            assertEquals(e.getClass(), got.getClass());
            assertEquals(e.getMessage(), got.getMessage());
            return;
        }
        List<Buffer> got = new LlvmBackend().compile(g).run(args);
        for (int i = 0; i < want.size(); i++) Oracle.assertClose(want.get(i), got.get(i), ulps, g.toString());
    }
}
