package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fusion report states what the LLVM CPU backend decided (FusionPlan and FunctionEmitter's
 * buffers), and its scratch total is the compiled kernel's.
 */
class FusionReportTest {
    static final String SOFTMAX = """
            func @softmax(%x: f32[8,32]) -> f32[8,32] {
              %0 = reduce_max %x {axis=[-1], keepdims=true} : f32[8,1]
              %1 = sub %x, %0 : f32[8,32]
              %2 = exp %1 : f32[8,32]
              %3 = reduce_sum %2 {axis=[-1], keepdims=true} : f32[8,1]
              %4 = div %2, %3 : f32[8,32]
              return %4
            }
            """;
    static final String DENSE = """
            func @dense(%x: f32[16,8], %w: f32[8,4], %b: f32[4]) -> f32[16,4] {
              %0 = matmul %x, %w : f32[16,4]
              %1 = add %0, %b : f32[16,4]
              %2 = relu %1 : f32[16,4]
              return %2
            }
            """;
    static final String VIEW = """
            func @t(%x: f32[64,64]) -> f32[64,64] {
              %e = exp %x : f32[64,64]
              %d = mul %e, %e : f32[64,64]
              %t = transpose %d {perm=[1,0]} : f32[64,64]
              %r = sub %t, %x : f32[64,64]
              %q = mul %r, %r : f32[64,64]
              return %q
            }
            """;
    static final String CHAIN = """
            func @chain(%x: f32[64,64]) -> f32[64,64] {
              %0 = exp %x : f32[64,64]
              %1 = mul %0, %0 : f32[64,64]
              %2 = sub %1, %1 : f32[64,64]
              %3 = add %2, %2 : f32[64,64]
              return %3
            }
            """;
    static final String LOOP = """
            func @loop(%x: f32[32,32], %n: i32[]) -> f32[32,32] {
              %0 = exp %x : f32[32,32]
              %zero = constant {value=dense<i32[]: 0>} : i32[]
              %one = constant {value=dense<i32[]: 1>} : i32[]
              %i, %w = while %zero, %0 : i32[], f32[32,32] {
              ^(%k: i32[], %v: f32[32,32]):
                %more = less %k, %n : bool[]
                yield %more
              } {
              ^(%j: i32[], %y: f32[32,32]):
                %j1 = add %j, %one : i32[]
                %t = mul %y, %0 : f32[32,32]
                %u = mul %t, %t : f32[32,32]
                %s = sub %u, %t : f32[32,32]
                yield %j1, %s
              }
              %r = add %w, %x : f32[32,32]
              return %r
            }
            """;

    static final String CONCAT = """
            func @cat(%a: f32[16,8], %b: f32[16,24]) -> f32[16,32] {
              %c = concat %a, %b {axis=1} : f32[16,32]
              %r = relu %c : f32[16,32]
              return %r
            }
            """;

    private static Graph parse(String ir) { return Oracle.parse(ir); }

    private static List<Shape> shapes(Graph g) { return g.paramTypes().stream().map(t -> t.shape()).toList(); }

    private static String report(String ir) {
        Graph g = parse(ir);
        return FusionReport.of(g, shapes(g)).text();
    }

    /** The report's line for the node defining {@code lhs} (e.g. {@code "%1 = sub"}), without its indentation and step. */
    private static String line(String report, String lhs) {
        for (String l : report.split("\n")) {
            String t = l.strip().replaceFirst("^\\d+ +", "");
            if (t.startsWith(lhs + " ") || t.startsWith(lhs + ":")) return t;
        }
        return fail("no line for " + lhs + " in\n" + report);
    }

    @Test
    void softmaxIsOneRowGroupWithTheSubtractionInlinedIntoExp() {
        String r = report(SOFTMAX);
        assertEquals("%0 = reduce_max f32[8,1]: row group 0 (8 rows x 32 columns, 5 members, all emitted at %4), kept per row, not stored",
                line(r, "%0 = reduce_max"), r);
        assertEquals("%1 = sub f32[8,32]: row group 0, inlined into %2", line(r, "%1 = sub"), r);
        assertEquals("%3 = reduce_sum f32[8,1]: row group 0, kept per row, not stored", line(r, "%3 = reduce_sum"), r);
        assertEquals("%4 = div f32[8,32]: row group 0, stored in result slot 0", line(r, "%4 = div"), r);
        assertTrue(r.contains("result 0 <- %4: computed in its slot"), r);
    }

    @Test
    void denseLayerIsAMatmulWithItsBiasAndReluAsEpilogue() {
        String r = report(DENSE);
        assertTrue(line(r, "%0 = matmul").matches("%0 = matmul f32\\[16,4]: stored in scratch \\[\\d+, \\+256\\) held over steps 0\\.\\.0, epilogue %2 fused"),
                r);
        assertEquals("%1 = add f32[16,4]: inlined into %2", line(r, "%1 = add"), r);
        assertEquals("%2 = relu f32[16,4]: epilogue of matmul %0 (computed per block of rows inside its loops), stored in result slot 0",
                line(r, "%2 = relu"), r);
        assertTrue(r.contains("kernel temporaries: "), "the packing buffers: " + r);
    }

    @Test
    void aTransposeReadByASubtractionIsAViewAndAnElementwiseKernelWritesOverItsDyingInput() {
        String r = report(VIEW);
        assertEquals("%e = exp f32[64,64]: stored in scratch [0, +16384) held over steps 0..3", line(r, "%e = exp"), r);
        // %d reads only %e, which dies there: it is written over it; the buffer is then held until %r reads %d through the view.
        assertEquals("%d = mul f32[64,64]: stored in scratch [0, +16384) held over steps 0..3, in place over %e", line(r, "%d = mul"), r);
        assertEquals("%t = transpose f32[64,64]: view of %d (index arithmetic), read through by %r, not stored", line(r, "%t = transpose"), r);
        // A view reads its input at other positions: %r gets a buffer of its own.
        assertEquals("%r = sub f32[64,64]: stored in scratch [16384, +16384) held over steps 3..4", line(r, "%r = sub"), r);
        assertTrue(r.endsWith("scratch block: 32768 bytes per call\n"), r);
    }

    @Test
    void anElementwiseChainLivesInOneBufferWrittenInPlace() {
        String r = report(CHAIN);
        assertEquals("%1 = mul f32[64,64]: stored in scratch [0, +16384) held over steps 0..3, in place over %0", line(r, "%1 = mul"), r);
        assertEquals("%2 = sub f32[64,64]: stored in scratch [0, +16384) held over steps 0..3, in place over %1", line(r, "%2 = sub"), r);
        assertEquals("%3 = add f32[64,64]: stored in result slot 0", line(r, "%3 = add"), r);
        assertTrue(r.endsWith("scratch block: 16384 bytes per call\n"), r);
    }

    @Test
    void aWhileLoopListsItsBodyUnderItsStepAndKeepsCapturedValuesForTheWholeLoop() {
        String r = report(LOOP);
        // %0 is read by the body on every trip: held through the while's step 3.
        assertEquals("%0 = exp f32[32,32]: stored in scratch [0, +4096) held over steps 0..3", line(r, "%0 = exp"), r);
        assertEquals("%zero = constant i32[]: constant, immediate literal", line(r, "%zero = constant"), r);
        assertTrue(line(r, "%i, %w = while").matches("%i, %w = while: stored in %i scratch \\[\\d+, \\+64\\) held over steps 3\\.\\.3; "
                + "%w scratch \\[\\d+, \\+4096\\) held over steps 3\\.\\.4"), r);
        assertEquals("%u = mul f32[32,32]: inlined into %s", line(r, "%u = mul"), r);
        assertTrue(r.contains("\n      %i, %w = while, body:\n        %j1 = add i32[]: stored in scratch ["),
                "region nodes are listed indented, under the while:\n" + r);
        assertTrue(line(r, "%t = mul").endsWith("held over steps 3..3"), r);
    }

    @Test
    void aConcatReadByReluIsComputedBoxByBoxAndNeverStored() {
        String r = report(CONCAT);
        assertEquals("%c = concat f32[16,32]: pieces of %a, %b (index arithmetic), read box by box by %r, not stored", line(r, "%c = concat"), r);
        assertTrue(r.endsWith("scratch block: 0 bytes per call\n"), r);
    }

    @Test
    void everyNodeOfRandomGraphsHasOneDecisionLine() {
        for (long seed = 1; seed <= 150; seed++) {
            FuzzGraphs.Case c = FuzzGraphs.generate(seed);
            String r = FusionReport.of(c.graph(), c.args().stream().map(Buffer::shape).toList()).text();
            long lines = r.lines().filter(l -> l.matches(" +(\\d+ +)?%\\S.* = [a-z_0-9]+( \\S+)?: .*")).count();
            assertEquals(nodes(c.graph().body()), lines, "seed " + seed + "\n" + c.graph() + "\n" + r);
        }
    }

    private static int nodes(Block b) {
        int n = 0;
        for (Node x : b.nodes()) {
            n++;
            for (Block r : x.regions()) n += nodes(r);
        }
        return n;
    }

    @Test
    void theScratchTotalIsTheCompiledKernels() {
        for (String ir : List.of(SOFTMAX, DENSE, VIEW, CHAIN, LOOP, CONCAT)) {
            Graph g = parse(ir);
            FusionReport report = FusionReport.of(g, shapes(g));
            long compiled = LlvmKernels.kernel(g, shapes(g)).scratchBytes();
            assertEquals(compiled, report.scratchBytes(), ir);
            assertTrue(report.text().endsWith("scratch block: " + compiled + " bytes per call\n"), report.text());
        }
    }

    @Test
    void theDumpWritesTheReportBesideTheLlvmIr(@TempDir Path dir) throws IOException {
        String old = System.getProperty("tfjit.dump");
        System.setProperty("tfjit.dump", dir.toString());
        try {
            Oracle.compiled(VIEW, TestData.uniform(DType.FLOAT32, Shape.of(64, 64), 3, 1, false));
        } finally {
            if (old == null) System.clearProperty("tfjit.dump");
            else System.setProperty("tfjit.dump", old);
        }
        Path ll, fusion;
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.getFileName().toString().startsWith("tfjit_t_")).toList();
            ll = files.stream().filter(p -> p.toString().endsWith(".ll") && !p.toString().endsWith(".opt.ll")).findFirst().orElseThrow();
            fusion = files.stream().filter(p -> p.toString().endsWith(".fusion.txt")).findFirst().orElseThrow();
        }
        assertEquals(ll.getFileName().toString().replace(".ll", ".fusion.txt"), fusion.getFileName().toString());
        String report = Files.readString(fusion);
        assertTrue(report.contains("%t = transpose f32[64,64]: view of %d"), report);
        String header = Files.readString(ll).lines().findFirst().orElseThrow(); // "; scratch N bytes per call"
        assertTrue(report.endsWith(header.substring(2).replace("scratch", "scratch block:") + "\n"), header + " vs\n" + report);
    }
}
