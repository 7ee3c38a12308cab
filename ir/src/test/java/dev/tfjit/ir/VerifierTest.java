package dev.tfjit.ir;

import dev.tfjit.ir.ops.ControlFlowOps;
import dev.tfjit.ir.ops.ElementwiseOps;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The verifier rejects graphs that break SSA, arity, typing or region signatures, naming the node. */
class VerifierTest {
    private static final TensorType F32 = TensorType.scalar(DType.FLOAT32);
    private static final TensorType F32_2 = TensorType.of(DType.FLOAT32, 2);
    private static final TensorType I32 = TensorType.scalar(DType.INT32);
    private static final TensorType BOOL = TensorType.scalar(DType.BOOL);

    private static Value value(TensorType t) { return new Value(t, SourceLocation.UNKNOWN, null); }

    private static Value param(TensorType t, String name) { return new Value(t, SourceLocation.UNKNOWN, name); }

    private static Node node(OpDef op, List<Value> in, Value out) {
        return new Node(op, in, Attrs.EMPTY, List.of(), List.of(out), SourceLocation.UNKNOWN);
    }

    private static Graph graph(List<Value> params, List<Node> nodes, List<Value> results) {
        return new Graph("g", new Block(params, nodes, results));
    }

    private static String rejection(Graph g) {
        return assertThrows(VerificationError.class, () -> Verifier.verify(g)).getMessage();
    }

    @Test
    void acceptsWellFormedGraphsIncludingCapturedOuterValues() {
        Graph g = IrParser.parse("""
                func @ok(%p: bool[], %x: f32[]) -> f32[] {
                  %0 = neg %x : f32[]
                  %1 = cond %p, %x : f32[] {
                  ^(%a: f32[]):
                    %2 = add %a, %0 : f32[]
                    yield %2
                  } {
                  ^(%b: f32[]):
                    yield %0
                  }
                  return %1
                }
                """);
        assertDoesNotThrow(() -> Verifier.verify(g));
    }

    @Test
    void valueUsedBeforeItsDefinition() {
        Value x = param(F32, "x"), a = value(F32), b = value(F32);
        Graph g = graph(List.of(x), List.of(node(ElementwiseOps.NEG, List.of(b), a), node(ElementwiseOps.NEG, List.of(x), b)), List.of(a));
        assertEquals("%0 = neg: operand 0 %1 is used before it is defined", rejection(g));
    }

    @Test
    void valueFromAnInnerRegionUsedOutsideIt() {
        Value p = param(BOOL, "p"), x = param(F32, "x");
        Value a = param(F32, "a"), inner = value(F32), b = param(F32, "b");
        Node neg = new Node(ElementwiseOps.NEG, List.of(a), Attrs.EMPTY, List.of(), List.of(inner), SourceLocation.UNKNOWN);
        Block then = new Block(List.of(a), List.of(neg), List.of(inner));
        Block other = new Block(List.of(b), List.of(), List.of(b));
        Value out = value(F32), after = value(F32);
        Node cond = new Node(ControlFlowOps.COND, List.of(p, x), Attrs.EMPTY, List.of(then, other), List.of(out), SourceLocation.UNKNOWN);
        Graph g = graph(List.of(p, x), List.of(cond, node(ElementwiseOps.EXP, List.of(inner), after)), List.of(after));
        assertEquals("%2 = exp: operand 0 %1 is defined in a region that does not enclose this use", rejection(g));
    }

    @Test
    void valueFromASiblingRegionYielded() {
        Value p = param(BOOL, "p"), x = param(F32, "x");
        Value a = param(F32, "a"), inner = value(F32), b = param(F32, "b");
        Node neg = new Node(ElementwiseOps.NEG, List.of(a), Attrs.EMPTY, List.of(), List.of(inner), SourceLocation.UNKNOWN);
        Block then = new Block(List.of(a), List.of(neg), List.of(inner));
        Block other = new Block(List.of(b), List.of(), List.of(inner));
        Value out = value(F32);
        Node cond = new Node(ControlFlowOps.COND, List.of(p, x), Attrs.EMPTY, List.of(then, other), List.of(out),
                new SourceLocation("Model.java", 9));
        Graph g = graph(List.of(p, x), List.of(cond), List.of(out));
        assertEquals("yield (at Model.java:9): in region 1 of %0 = cond, result 0 %1 is defined in a region that does not enclose this use",
                rejection(g));
    }

    @Test
    void valueNotDefinedAnywhere() {
        Value x = param(F32, "x"), stray = param(F32, "stray"), a = value(F32);
        Graph g = graph(List.of(x), List.of(node(ElementwiseOps.ADD, List.of(x, stray), a)), List.of(a));
        assertEquals("%0 = add: operand 1 (%stray:f32[]) is not defined in this function", rejection(g));
    }

    @Test
    void functionResultMustBeVisible() {
        Value x = param(F32, "x"), stray = value(F32);
        Graph g = graph(List.of(x), List.of(), List.of(stray));
        assertTrue(rejection(g).startsWith("return: result 0 (%"), rejection(g));
    }

    @Test
    void valueDefinedTwice() {
        Value x = param(F32, "x"), a = value(F32);
        Graph g = graph(List.of(x), List.of(node(ElementwiseOps.NEG, List.of(x), a), node(ElementwiseOps.NEG, List.of(x), a)), List.of(a));
        assertEquals("%0 = neg: %0 is defined more than once (each value has exactly one definition)", rejection(g));
    }

    @Test
    void arityIsChecked() {
        Value x = param(F32, "x"), a = value(F32);
        Graph g = graph(List.of(x), List.of(new Node(ElementwiseOps.ADD, List.of(x), Attrs.EMPTY, List.of(), List.of(a),
                new SourceLocation("Model.java", 42))), List.of(a));
        assertEquals("%0 = add (at Model.java:42): add takes 2 inputs, got 1", rejection(g));
    }

    @Test
    void regionCountIsChecked() {
        Value x = param(F32, "x"), a = value(F32);
        Block extra = new Block(List.of(), List.of(), List.of());
        Graph g = graph(List.of(x), List.of(new Node(ElementwiseOps.NEG, List.of(x), Attrs.EMPTY, List.of(extra), List.of(a),
                SourceLocation.UNKNOWN)), List.of(a));
        assertEquals("%0 = neg: neg takes 0 regions, got 1", rejection(g));
    }

    @Test
    void annotatedTypeDifferentFromTheInferredOne() {
        Value x = param(F32_2, "x"), a = value(TensorType.of(DType.FLOAT32, 3));
        Graph g = graph(List.of(x), List.of(node(ElementwiseOps.NEG, List.of(x), a)), List.of(a));
        assertEquals("%0 = neg: annotated types [f32[3]] differ from the types neg infers, [f32[2]]", rejection(g));
    }

    @Test
    void typeRuleRejectionIsReportedWithTheNode() {
        Value x = param(F32, "x"), y = param(TensorType.scalar(DType.FLOAT64), "y"), a = value(F32);
        Graph g = graph(List.of(x, y), List.of(node(ElementwiseOps.ADD, List.of(x, y), a)), List.of(a));
        String msg = rejection(g);
        assertTrue(msg.startsWith("%0 = add: the type rule of add rejects it: "), msg);
        assertTrue(msg.contains("float32") && msg.contains("float64"), msg);
    }

    @Test
    void wrongNumberOfResults() {
        Value x = param(F32, "x"), a = value(F32), b = value(F32);
        Graph g = graph(List.of(x), List.of(new Node(ElementwiseOps.NEG, List.of(x), Attrs.EMPTY, List.of(), List.of(a, b),
                SourceLocation.UNKNOWN)), List.of(a));
        assertEquals("%0 = neg: neg defines 1 results, but the node has 2", rejection(g));
    }

    /** A while over one i32 loop var whose regions are given. */
    private static Graph whileGraph(Block cond, Block body) {
        Value n = param(I32, "n"), out = value(I32);
        Node loop = new Node(ControlFlowOps.WHILE, List.of(n), Attrs.EMPTY, List.of(cond, body), List.of(out), SourceLocation.UNKNOWN);
        return graph(List.of(n), List.of(loop), List.of(out));
    }

    @Test
    void whileCondRegionMustYieldABoolScalar() {
        Value c = param(I32, "c"), b = param(I32, "b");
        Graph g = whileGraph(new Block(List.of(c), List.of(), List.of(c)), new Block(List.of(b), List.of(), List.of(b)));
        assertEquals("%0 = while: the cond region must yield one bool[], got [i32[]]", rejection(g));
    }

    @Test
    void whileBodyMustYieldTheCarriedTypes() {
        Value c = param(I32, "c"), flag = value(BOOL), b = param(I32, "b"), wrong = value(TensorType.scalar(DType.INT64));
        Node less = node(ElementwiseOps.LESS, List.of(c, c), flag);
        Node cast = new Node(ElementwiseOps.CAST, List.of(b), Attrs.of("dtype", DType.INT64), List.of(), List.of(wrong), SourceLocation.UNKNOWN);
        Graph g = whileGraph(new Block(List.of(c), List.of(less), List.of(flag)), new Block(List.of(b), List.of(cast), List.of(wrong)));
        assertEquals("%0 = while: the body region yields i64[] for loop var 0, which is i32[]", rejection(g));
    }

    @Test
    void whileBodyMustYieldOneValuePerLoopVar() {
        Value c = param(I32, "c"), flag = value(BOOL), b = param(I32, "b");
        Node less = node(ElementwiseOps.LESS, List.of(c, c), flag);
        Graph g = whileGraph(new Block(List.of(c), List.of(less), List.of(flag)), new Block(List.of(b), List.of(), List.of(b, b)));
        assertEquals("%0 = while: the body region yields 2 values but the loop carries 1", rejection(g));
    }

    @Test
    void whileRegionsTakeTheLoopVars() {
        Value b = param(I32, "b");
        Graph g = whileGraph(new Block(List.of(), List.of(), List.of()), new Block(List.of(b), List.of(), List.of(b)));
        assertEquals("%0 = while: the cond region takes 0 params but gets 1 operands", rejection(g));
    }

    @Test
    void condBranchesMustYieldTheSameDtypes() {
        Value p = param(BOOL, "p"), x = param(I32, "x");
        Value a = param(I32, "a"), b = param(I32, "b"), cast = value(F32), out = value(I32);
        Block then = new Block(List.of(a), List.of(), List.of(a));
        Block other = new Block(List.of(b), List.of(new Node(ElementwiseOps.CAST, List.of(b), Attrs.of("dtype", DType.FLOAT32),
                List.of(), List.of(cast), SourceLocation.UNKNOWN)), List.of(cast));
        Node cond = new Node(ControlFlowOps.COND, List.of(p, x), Attrs.EMPTY, List.of(then, other), List.of(out), SourceLocation.UNKNOWN);
        assertEquals("%0 = cond: result 0 is i32[] in the then region but f32[] in the else region",
                rejection(graph(List.of(p, x), List.of(cond), List.of(out))));
    }

    @Test
    void condBranchesMustYieldTheSameNumberOfValues() {
        Value p = param(BOOL, "p"), x = param(I32, "x");
        Value a = param(I32, "a"), b = param(I32, "b"), out = value(I32);
        Block then = new Block(List.of(a), List.of(), List.of(a));
        Block other = new Block(List.of(b), List.of(), List.of(b, b));
        Node cond = new Node(ControlFlowOps.COND, List.of(p, x), Attrs.EMPTY, List.of(then, other), List.of(out), SourceLocation.UNKNOWN);
        assertEquals("%0 = cond: the then region yields 1 values but the else region yields 2",
                rejection(graph(List.of(p, x), List.of(cond), List.of(out))));
    }

    @Test
    void condBranchesMayDisagreeOnShapesWhichThenBecomeUnknown() {
        Graph g = IrParser.parse("""
                func @widen(%p: bool[], %x: f32[2]) -> f32[?] {
                  %0 = cond %p, %x : f32[?] {
                  ^(%a: f32[2]):
                    yield %a
                  } {
                  ^(%b: f32[2]):
                    %1 = constant {value=dense<f32[3]: 1.0, 2.0, 3.0>} : f32[3]
                    yield %1
                  }
                  return %0
                }
                """);
        assertDoesNotThrow(() -> Verifier.verify(g));
    }

    @Test
    void errorCarriesTheNodeParts() {
        Value x = param(F32, "x"), a = value(F32);
        SourceLocation loc = new SourceLocation("Model.java", 42);
        Graph g = graph(List.of(x), List.of(new Node(ElementwiseOps.ADD, List.of(x), Attrs.EMPTY, List.of(), List.of(a), loc)), List.of(a));
        VerificationError e = assertThrows(VerificationError.class, () -> Verifier.verify(g));
        assertEquals("add", e.op());
        assertEquals("%0", e.resultName());
        assertEquals(loc, e.location());
        assertInstanceOf(TfException.class, e);
    }
}
