package dev.tfjit.codegen.ptx;

import dev.tfjit.codegen.llvm.ElementwiseLowerings;
import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.GraphBuilder;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ArrayOps;
import dev.tfjit.ir.ops.CreationOps;
import dev.tfjit.ir.ops.ElementwiseOps;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every kernel the GPU backend generates is valid PTX for sm_80 and sm_90: ptxas assembles it
 * (without a GPU), with no register spills. Elementwise ops are swept over every dtype; an op
 * the GPU cannot compute must be refused with an error naming it.
 */
class PtxasTest {
    static List<OpDef> elementwiseOps() throws IllegalAccessException {
        List<OpDef> ops = new ArrayList<>();
        for (Field f : ElementwiseOps.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == OpDef.class) ops.add((OpDef) f.get(null));
        }
        ops.addAll(List.of(ArrayOps.SELECT, CreationOps.ZEROS_LIKE, CreationOps.ONES_LIKE));
        return ops.stream().filter(ElementwiseLowerings::isElementwise).toList();
    }

    private static Attrs attrsFor(OpDef op, DType target) {
        if (op == ElementwiseOps.LEAKY_RELU) return Attrs.of("alpha", 0.2);
        if (op == ElementwiseOps.CAST) return Attrs.of("dtype", target);
        return Attrs.EMPTY;
    }

    /**
     * For one dtype: a graph computing every elementwise op (and every cast from it) on its
     * parameters, each a separate result, less the ops the GPU refuses (each refusal must name
     * the op); those are returned in {@code refused}.
     */
    private static Graph allOps(DType t, List<String> refused) throws IllegalAccessException {
        GraphBuilder b = new GraphBuilder("all_" + t.shortName());
        Value x = b.param(new TensorType(t, Shape.of(7, 37)), "x"), y = b.param(new TensorType(t, Shape.of(37)), "y");
        Value cond = b.param(new TensorType(DType.BOOL, Shape.of(7, 37)), "c");
        List<Value> results = new ArrayList<>();
        for (OpDef op : elementwiseOps()) {
            List<DType> targets = op == ElementwiseOps.CAST ? List.of(DType.values()).stream().filter(d -> d != DType.STRING).toList() : List.of(t);
            for (DType target : targets) {
                List<Value> in = op == ArrayOps.SELECT ? List.of(cond, x, x) : op.minInputs() == 1 ? List.of(x) : op.minInputs() == 2 ? List.of(x, y)
                        : List.of(x, y, x);
                Value out;
                try {
                    out = b.add1(op, in.subList(0, Math.max(op.minInputs(), op == ArrayOps.SELECT ? 3 : 1)), attrsFor(op, target),
                            new SourceLocation("PtxasTest.java", 1));
                } catch (TfException e) {
                    continue; // the op does not take this dtype
                }
                results.add(out);
            }
        }
        Graph whole = b.build(results);
        // Drop the results whose op the GPU refuses, checking that each refusal names its op.
        List<Value> kept = new ArrayList<>();
        for (var n : whole.body().nodes()) {
            String why = GpuLowerability.elementwiseProblem(n);
            if (why == null) {
                kept.add(n.output());
            } else {
                assertTrue(why.contains("'" + n.op().name() + "'"), why);
                refused.add(n.op().name() + "(" + t + ")");
            }
        }
        return new Graph(whole.name(), new dev.tfjit.ir.Block(whole.params(), whole.body().nodes().stream()
                .filter(n -> kept.contains(n.output())).toList(), kept));
    }

    @TestFactory
    List<DynamicTest> everyElementwiseOpOverEveryDtypeAssembles() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType t : DType.values()) {
            if (t == DType.STRING) continue;
            tests.add(DynamicTest.dynamicTest(t.toString(), () -> {
                List<String> refused = new ArrayList<>();
                Graph g = allOps(t, refused);
                assertFalse(g.results().isEmpty());
                List<Shape> shapes = List.of(Shape.of(7, 37), Shape.of(37), Shape.of(7, 37));
                for (Ptxas.Report r : Programs.assemble(g, shapes)) {
                    assertEquals(0, Programs.spills(r), "spills for " + t + " on " + r.sm() + "\n" + r.log());
                }
                if (!refused.isEmpty()) System.out.println("ptx-gpu refuses " + refused);
            }));
        }
        return tests;
    }

    @Test
    void theFloat32TranscendentalsThatMatterRunWithoutTheCLibrary() throws IllegalAccessException {
        List<String> refused = new ArrayList<>();
        allOps(DType.FLOAT32, refused);
        for (String op : List.of("exp", "log", "tanh", "sigmoid", "elu", "selu", "sqrt", "rsqrt")) {
            assertFalse(refused.contains(op + "(float32)"), op + " must compute on the GPU; refused: " + refused);
        }
    }

    private static final String KINDS = """
            func @kinds(%x: f32[300,1000], %b: f32[1000], %w: f32[1000,96], %v: f32[70000]) -> (f32[300,1000], f32[300], f32[1000], f32[300,96], f32[], f32[1000,300]) {
              %0 = mul %x, %b : f32[300,1000]
              %1 = tanh %0 : f32[300,1000]
              %2 = reduce_max %x {axis=[1]} : f32[300]
              %3 = reduce_sum %x {axis=[0]} : f32[1000]
              %4 = matmul %x, %w : f32[300,96]
              %5 = relu %4 : f32[300,96]
              %6 = reduce_sum %v : f32[]
              %7 = sqrt %6 : f32[]
              %8 = transpose %x {perm=[1,0]} : f32[1000,300]
              return %1, %2, %3, %5, %7, %8
            }
            """;

    @Test
    void eachKindOfKernelAssemblesForEverySmWithoutSpills() {
        Graph g = Programs.parse(KINDS);
        List<Shape> shapes = List.of(Shape.of(300, 1000), Shape.of(1000), Shape.of(1000, 96), Shape.of(70000));
        for (Ptxas.Report r : Programs.assemble(g, shapes)) {
            assertEquals(0, Programs.spills(r), r.log());
            StringBuilder summary = new StringBuilder("ptxas " + r.sm() + ":");
            for (Map.Entry<String, Ptxas.KernelStats> e : r.kernels().entrySet()) {
                summary.append("\n  ").append(e.getKey()).append(": ").append(e.getValue().registers()).append(" registers, ")
                        .append(e.getValue().sharedBytes()).append(" bytes shared, ")
                        .append(e.getValue().spillStoreBytes() + e.getValue().spillLoadBytes()).append(" bytes spilled");
            }
            System.out.println(summary);
        }
    }

    /** The differential cases (loops and branches among them) are valid PTX too, on every SM. */
    @TestFactory
    List<DynamicTest> everyDifferentialCaseAssembles() {
        List<DynamicTest> tests = new ArrayList<>();
        for (GpuCases.Case c : GpuCases.all()) {
            // (spills are not asserted here: the float64 matmul tile spills a little; KINDS covers the float32 kernels)
            tests.add(DynamicTest.dynamicTest(c.name(), () -> Programs.assemble(c.graph(), c.shapes())));
        }
        return tests;
    }

    @Test
    void unsupportedOpsAreErrorsThatNameTheOp() {
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> Programs.compile("""
                func @f(%x: f64[4]) -> f64[4] {
                  %0 = exp %x : f64[4]
                  return %0
                }
                """, Shape.of(4)));
        assertTrue(e.getMessage().contains("'exp'") && e.getMessage().contains("float64"), e.getMessage());
        UnimplementedError arg = assertThrows(UnimplementedError.class, () -> Programs.compile("""
                func @f(%x: f32[4,3]) -> i64[4] {
                  %0 = argmax %x {axis=1, output_type=i64} : i64[4]
                  return %0
                }
                """, Shape.of(4, 3)));
        assertTrue(arg.getMessage().contains("'argmax'") && arg.getMessage().contains("ptx-gpu"), arg.getMessage());
    }
}
