package dev.tfjit.ir;

import dev.tfjit.ir.ops.ControlFlowOps;
import dev.tfjit.ir.ops.ElementwiseOps;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.tfjit.ir.IrRoundTrip.assertTextRoundTrips;
import static org.junit.jupiter.api.Assertions.*;

/** Reading IR text: every construct the printer writes comes back exactly. */
class IrParserTest {
    @Test
    void readsAFunctionAndPrintsItBackIdentically() {
        Graph g = assertTextRoundTrips("""
                func @f(%x: f32[2,3], %y: f32[2,3]) -> f32[2,3] {
                  %0 = add %x, %y : f32[2,3]
                  %1 = neg %0 : f32[2,3]
                  return %1
                }
                """);
        assertEquals("f", g.name());
        assertEquals(List.of(TensorType.of(DType.FLOAT32, 2, 3), TensorType.of(DType.FLOAT32, 2, 3)), g.paramTypes());
        Node add = g.body().nodes().get(0);
        assertSame(ElementwiseOps.ADD, add.op());
        assertSame(g.params().get(0), add.inputs().get(0));
        assertSame(g.body().nodes().get(1).output(), g.results().get(0));
    }

    @Test
    void everyDTypeAndShapeKindIncludingUnknownDimsAndRank() {
        assertTextRoundTrips("""
                func @types(%a: bool[], %b: i8[1], %c: u8[0], %d: i16[?], %e: i32[2,?,3], %f: i64[*], %g: f16[4], %h: bf16[4], %i: f32[?,784], %j: f64[], %k: str[2]) -> (f32[?,784], i64[*]) {
                  return %i, %f
                }
                """);
    }

    @Test
    void functionsWithNoResultsOrNoParams() {
        assertTextRoundTrips("""
                func @nothing() -> () {
                  return
                }
                """);
    }

    @Test
    void attributesOfEveryKindRoundTrip() {
        Graph g = assertTextRoundTrips("""
                func @attrs() -> f32[2] {
                  %0 = constant {a=-9223372036854775808, b=-0.0, c=nan, d=[1, -2], e=[1.5, -inf, 1.0E-300], f=bf16, g=shape<[?,3]>, h="q\\"\\\\\\n\\t\\u00e9", i=true, j=floats<[]>, k=[], l=shape<[*]>, m=inf, n=shape<[]>, value=dense<f32[2]: 1.0, nan>} : f32[2]
                  return %0
                }
                """);
        Attrs a = g.body().nodes().get(0).attrs();
        assertEquals(Long.MIN_VALUE, a.getLong("a"));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(a.getDouble("b")));
        assertTrue(Double.isNaN(a.getDouble("c")));
        assertArrayEquals(new long[]{1, -2}, a.getLongs("d"));
        assertArrayEquals(new double[]{1.5, Double.NEGATIVE_INFINITY, 1.0E-300}, a.getDoubles("e"));
        assertEquals(DType.BFLOAT16, a.getDType("f"));
        assertEquals(Shape.of(-1, 3), a.getShape("g"));
        assertEquals("q\"\\\n\té", a.getString("h"));
        assertTrue(a.getBool("i"));
        assertEquals(new AttrValue.Floats(new double[0]), a.get("j"));
        assertEquals(new AttrValue.Ints(new long[0]), a.get("k"));
        assertEquals(Shape.unknownRank(), a.getShape("l"));
        assertEquals(Double.POSITIVE_INFINITY, a.getDouble("m"));
        assertEquals(Shape.SCALAR, a.getShape("n"));
    }

    @Test
    void constantTensorsOfEveryDType() {
        Graph g = assertTextRoundTrips("""
                func @tensors() -> (bool[2], i8[2], u8[2], i16[2], i32[2,2], i64[1], f16[3], bf16[3], f64[3], str[2], f32[0], f32[]) {
                  %0 = constant {value=dense<bool[2]: true, false>} : bool[2]
                  %1 = constant {value=dense<i8[2]: -128, 127>} : i8[2]
                  %2 = constant {value=dense<u8[2]: 0, 255>} : u8[2]
                  %3 = constant {value=dense<i16[2]: -32768, 32767>} : i16[2]
                  %4 = constant {value=dense<i32[2,2]: 1, -2, 3, -2147483648>} : i32[2,2]
                  %5 = constant {value=dense<i64[1]: 9223372036854775807>} : i64[1]
                  %6 = constant {value=dense<f16[3]: 65504.0, -0.0, 5.9604645E-8>} : f16[3]
                  %7 = constant {value=dense<bf16[3]: 9.96921E37, -inf, nan>} : bf16[3]
                  %8 = constant {value=dense<f64[3]: 0.1, 4.9E-324, -1.7976931348623157E308>} : f64[3]
                  %9 = constant {value=dense<str[2]: "", "a\\u0000b">} : str[2]
                  %10 = constant {value=dense<f32[0]:>} : f32[0]
                  %11 = constant {value=dense<f32[]: 3.4028235E38>} : f32[]
                  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11
                }
                """);
        Buffer u8 = g.body().nodes().get(2).attrs().getTensor("value");
        assertEquals(255, u8.getLong(1));
        Buffer f16 = g.body().nodes().get(6).attrs().getTensor("value");
        assertEquals(5.9604645E-8, f16.getDouble(2), 1e-15);
        assertEquals("a\u0000b", g.body().nodes().get(9).attrs().getTensor("value").getString(1));
    }

    @Test
    void nanPayloadsAndNegativeZeroAreBitExact() {
        Graph g = assertTextRoundTrips("""
                func @bits() -> (f32[3], f64[2], f16[2], bf16[1]) {
                  %0 = constant {value=dense<f32[3]: nan(0x7fc00001), nan(0xffc00000), -0.0>} : f32[3]
                  %1 = constant {payload=nan(0x7ff0000000000001), value=dense<f64[2]: nan(0xfff8000000000000), -0.0>} : f64[2]
                  %2 = constant {value=dense<f16[2]: nan(0x7e01), nan>} : f16[2]
                  %3 = constant {value=dense<bf16[1]: nan(0xffc0)>} : bf16[1]
                  return %0, %1, %2, %3
                }
                """);
        Buffer f32 = g.body().nodes().get(0).attrs().getTensor("value");
        assertEquals(0x7fc00001L, FloatBits.raw(f32, 0));
        assertEquals(0xffc00000L, FloatBits.raw(f32, 1));
        assertEquals(0x80000000L, FloatBits.raw(f32, 2));
        AttrValue payload = g.body().nodes().get(1).attrs().get("payload");
        assertEquals(0x7ff0000000000001L, Double.doubleToRawLongBits(((AttrValue.Float) payload).value()));
    }

    @Test
    void whileAndCondRegionsWithBlockParamsMultipleResultsAndLocations() {
        Graph g = assertTextRoundTrips("""
                func @loop(%n: i32[], %x: f32[?]) -> (i32[], f32[?]) {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = constant {value=dense<i32[]: 1>} : i32[]
                  %2, %3 = while %0, %x : i32[], f32[?] {
                  ^(%i: i32[], %s: f32[?]):
                    %4 = less %i, %n : bool[] loc(Model.java:12)
                    yield %4
                  } {
                  ^(%i2: i32[], %s2: f32[?]):
                    %5 = add %i2, %1 : i32[]
                    %6 = less %i2, %n : bool[]
                    %7 = cond %6, %s2 : f32[?] {
                    ^(%t: f32[?]):
                      %8 = exp %t : f32[?]
                      yield %8
                    } {
                    ^(%e: f32[?]):
                      yield %e
                    } loc("dev.x.Model$1":7)
                    yield %5, %7
                  } loc(Model.java:42)
                  return %2, %3
                }
                """);
        Node loop = g.body().nodes().get(2);
        assertSame(ControlFlowOps.WHILE, loop.op());
        assertEquals(new SourceLocation("Model.java", 42), loop.location());
        assertEquals(2, loop.outputs().size());
        Block body = loop.regions().get(1);
        assertEquals(new SourceLocation("dev.x.Model$1", 7), body.nodes().get(2).location());
        // The body's add captures %1 from the function body.
        assertSame(g.body().nodes().get(1).output(), body.nodes().get(0).inputs().get(1));
    }

    @Test
    void oddFunctionAndAttributeNamesAreQuoted() {
        assertTextRoundTrips("""
                func @"my fn" () -> f32[] {
                  %0 = constant {"odd name"=1, value=dense<f32[]: 1.0>} : f32[]
                  return %0
                }
                """.replace("\" (", "\"("));
    }

    @Test
    void commentsAndBlankLinesAreIgnored() {
        Graph g = IrParser.parse("""
                // a comment
                func @f(%x: f32[]) -> f32[] {

                  %0 = neg %x : f32[]   // trailing
                  return %0
                }
                """);
        assertEquals(1, g.body().nodes().size());
    }

    // ------------------------------------------------------------------ errors with positions

    private static IrParseException parseError(String text) {
        return assertThrows(IrParseException.class, () -> IrParser.parse(text));
    }

    @Test
    void unknownOpIsReportedAtItsPosition() {
        var e = parseError("""
                func @f(%x: f32[]) -> f32[] {
                  %0 = frobnicate %x : f32[]
                  return %0
                }
                """);
        assertEquals("2:8: unknown op 'frobnicate'", e.getMessage());
        assertEquals(2, e.line());
        assertEquals(8, e.column());
    }

    @Test
    void undefinedValue() {
        var e = parseError("""
                func @f(%x: f32[]) -> f32[] {
                  %0 = neg %y : f32[]
                  return %0
                }
                """);
        assertEquals("2:12: use of undefined value '%y'", e.getMessage());
    }

    @Test
    void valueFromASiblingRegionIsNotVisible() {
        var e = parseError("""
                func @f(%p: bool[], %x: f32[]) -> f32[] {
                  %0 = cond %p, %x : f32[] {
                  ^(%a: f32[]):
                    %1 = neg %a : f32[]
                    yield %1
                  } {
                  ^(%b: f32[]):
                    yield %1
                  }
                  return %0
                }
                """);
        assertEquals("8:11: '%1' is not visible here: it is defined in another region or is this node's own result", e.getMessage());
    }

    @Test
    void annotatedTypeThatDisagreesWithTheOpsRule() {
        var e = parseError("""
                func @f(%x: f32[2], %y: f32[3,1]) -> f32[3,2] {
                  %0 = add %x, %y : f32[3,3]
                  return %0
                }
                """);
        assertEquals("2:8: add infers f32[3,2] but the IR says f32[3,3]", e.getMessage());
    }

    @Test
    void typeRuleRejectionNamesOpDtypesAndPosition() {
        var e = parseError("""
                func @f(%x: f32[2], %y: f64[2]) -> f32[2] {
                  %0 = add %x, %y : f32[2]
                  return %0
                }
                """);
        assertTrue(e.getMessage().startsWith("2:8: add rejects this node: "), e.getMessage());
        assertTrue(e.getMessage().contains("float32") && e.getMessage().contains("float64"), e.getMessage());
    }

    @Test
    void missingTypesAfterResults() {
        var e = parseError("""
                func @f(%x: f32[]) -> f32[] {
                  %0 = neg %x
                  return %0
                }
                """);
        assertEquals("3:3: expected ':' and the result types, got 'return'", e.getMessage());
    }

    @Test
    void unknownDtype() {
        var e = parseError("func @f(%x: f33[]) -> f32[] {\n  return %x\n}\n");
        assertEquals("1:13: unknown dtype 'f33' (expected one of bool, i8, u8, i16, i32, i64, f16, bf16, f32, f64, str)", e.getMessage());
    }

    @Test
    void unterminatedString() {
        var e = parseError("func @f() -> f32[] {\n  %0 = constant {value=dense<str[1]: \"abc>} : str[1]\n}\n");
        assertEquals("2:38: unterminated string", e.getMessage());
    }

    @Test
    void redefinedName() {
        var e = parseError("""
                func @f(%x: f32[]) -> f32[] {
                  %x = neg %x : f32[]
                  return %x
                }
                """);
        assertEquals("2:3: '%x' is defined twice", e.getMessage());
    }

    @Test
    void denseElementCountMustMatchItsShape() {
        var e = parseError("func @f() -> f32[2] {\n  %0 = constant {value=dense<f32[2]: 1.0>} : f32[2]\n  return %0\n}\n");
        assertEquals("2:41: expected f32[2] has 2 elements, but only 1 are given; expected ',', got '>'", e.getMessage());
        var extra = parseError("func @f() -> f32[1] {\n  %0 = constant {value=dense<f32[1]: 1.0, 2.0>} : f32[1]\n  return %0\n}\n");
        assertEquals("2:41: expected '>' after the 1 elements of dense<f32[1]>, got ','", extra.getMessage());
    }

    @Test
    void integerElementsMustFitTheirDtype() {
        var e = parseError("func @f() -> i8[1] {\n  %0 = constant {value=dense<i8[1]: 128>} : i8[1]\n  return %0\n}\n");
        assertEquals("2:37: integer 128 is out of range [-128, 127]", e.getMessage());
    }

    @Test
    void declaredResultTypesMustMatchTheReturn() {
        var e = parseError("func @f(%x: f32[]) -> f64[] {\n  %0 = neg %x : f32[]\n  return %0\n}\n");
        assertEquals("3:3: @f declares results [f64[]] but returns [f32[]]", e.getMessage());
    }

    @Test
    void trailingGarbageAfterANode() {
        var e = parseError("func @f(%x: f32[]) -> f32[] {\n  %0 = neg %x : f32[] extra\n  return %0\n}\n");
        assertEquals("2:23: expected the end of the line, got 'extra'", e.getMessage());
    }

    @Test
    void truncatedInput() {
        var e = parseError("func @f(%x: f32[]) -> f32[] {\n  %0 = neg %x : f32[]\n");
        assertEquals("3:1: expected a node or 'return', got end of input", e.getMessage());
    }

    @Test
    void mixedIntegerAndFloatListIsAmbiguous() {
        var e = parseError("func @f() -> f32[] {\n  %0 = constant {l=[1.0, 2], value=dense<f32[]: 1.0>} : f32[]\n  return %0\n}\n");
        assertEquals("2:26: a list mixes integers and floats; write floats with a '.' (1.0)", e.getMessage());
    }

    @Test
    void nanBitsMustBeANaN() {
        var e = parseError("func @f() -> f32[1] {\n  %0 = constant {value=dense<f32[1]: nan(0x3f800000)>} : f32[1]\n  return %0\n}\n");
        assertEquals("2:42: 0x3f800000 is not a NaN in f32", e.getMessage());
    }
}
