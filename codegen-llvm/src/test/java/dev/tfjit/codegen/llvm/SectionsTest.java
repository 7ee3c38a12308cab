package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A function written in sections ({@link FunctionEmitter}, {@link Sections}): cut where the
 * estimated work is halved, one module per section, compiled at once and linked together,
 * computing exactly what the interpreter computes.
 */
class SectionsTest {
    private static final Buffer X = TestData.mixed(DType.FLOAT32, Shape.of(1000), 0), Y = TestData.mixed(DType.FLOAT32, Shape.of(1000), 1);

    private static FunctionEmitter.Emitted emit(Graph g, int maxSections) {
        ConcreteTypes types = Oracle.types(g, X, Y);
        return FunctionEmitter.emit(g, types, FusionPlan.of(g, types), "tfjit_sections_probe", NativeJit.get().moduleHeader(), maxSections);
    }

    @Test
    void aBigFunctionIsCutWhereItsWorkIsHalvedAndComputesWhatTheInterpreterDoes() {
        Graph g = Oracle.parse(DiskCacheChildMain.HEAVY);
        List<Integer> starts = Sections.starts(g.body().nodes(), FusionPlan.of(g, Oracle.types(g, X, Y)), 2);
        assertEquals(1, starts.size(), starts.toString());
        long[] work = Sections.workByStep(g.body().nodes(), FusionPlan.of(g, Oracle.types(g, X, Y)));
        long before = 0, total = 0;
        for (int i = 0; i < work.length; i++) {
            total += work[i];
            if (i < starts.getFirst()) before += work[i];
        }
        assertTrue(2 * before >= total && 2 * (before - work[starts.getFirst() - 1]) < total, "cut at " + starts + " of " + java.util.Arrays.toString(work));

        FunctionEmitter.Emitted two = emit(g, 2);
        assertEquals(2, two.modules().size());
        String section = FunctionEmitter.sectionSymbol("tfjit_sections_probe", 1);
        assertTrue(two.modules().get(0).contains("declare void @" + section + "(ptr, ptr, ptr, ptr)"), two.modules().get(0));
        assertTrue(two.modules().get(0).contains("call void @" + section + "(ptr %args, ptr %results, ptr %scratch, ptr %slot0)"));
        assertTrue(two.modules().get(1).contains("define void @" + section + "(ptr noalias %args"), two.modules().get(1));
        assertEquals(emit(g, 1).scratchBytes(), two.scratchBytes(), "a cut changes no buffer");
        int cut = starts.getFirst();
        assertTrue(two.fusion().text().contains("sections (LLVM modules compiled at once): steps 0.." + (cut - 1) + " in the entry, " + cut + ".."
                + (g.body().nodes().size() - 1) + " in section 1\n"), two.fusion().text());
        assertTrue(!emit(g, 1).fusion().text().contains("sections"), "one section, no line");

        Oracle.assertSame(DiskCacheChildMain.HEAVY, X, Y); // through the kernel cache, which compiles it in sections
    }

    @Test
    void smallFunctionsAndOneSectionStayWhole() {
        Graph g = Oracle.parse(DiskCacheChildMain.HEAVY);
        assertEquals(List.of(), Sections.starts(g.body().nodes(), FusionPlan.of(g, Oracle.types(g, X, Y)), 1));
        assertEquals(1, emit(g, 1).modules().size());
        Graph small = Oracle.parse("""
                func @small(%x: f32[?], %y: f32[?]) -> f32[?] {
                  %0 = tanh %x : f32[?]
                  %1 = mul %0, %y : f32[?]
                  return %1
                }
                """);
        assertEquals(1, emit(small, 4).modules().size());
    }

    @Test
    void aStoredEntryKeepsEverySectionsObject() {
        List<byte[]> objects = List.of(new byte[] {1, 2, 3}, new byte[] {4, 5});
        KernelObject o = KernelObject.fromBytes(new KernelObject("tfjit_x", 64, new ErrorSites(), objects).toBytes());
        assertEquals(2, o.objects().size());
        assertArrayEquals(objects.get(0), o.objects().get(0));
        assertArrayEquals(objects.get(1), o.objects().get(1));
    }
}
