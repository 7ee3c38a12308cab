package dev.tfjit.codegen.ptx;

import dev.tfjit.ir.Shape;
import dev.tfjit.runtime.cuda.GpuProgram;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Which kernels a graph becomes: one per fused group, heroes with their epilogues, the right reduction strategy. */
class KernelStructureTest {
    @Test
    void anElementwiseChainIsOneKernelWithVectorLoadsWhenContiguous() {
        GpuProgram p = Programs.compile("""
                func @f(%x: f32[4096], %y: f32[4096]) -> f32[4096] {
                  %0 = mul %x, %y : f32[4096]
                  %1 = exp %0 : f32[4096]
                  %2 = add %1, %x : f32[4096]
                  return %2
                }
                """, Shape.of(4096), Shape.of(4096));
        assertEquals(List.of("loop_add"), Programs.kinds(p));
        // Flushing subnormals works on the bits, so the four lanes may be typed u32 rather than f32.
        assertTrue(p.ptx().matches("(?s).*ld\\.global\\.nc\\.v4\\.(f32|u32|b32).*"), "contiguous operands load four floats at a time");
        assertTrue(p.ptx().matches("(?s).*st\\.global\\.v4\\.(f32|u32|b32).*"), "and store four at a time");
    }

    @Test
    void broadcastOperandsAreReadThroughIndexMathNotVectors() {
        GpuProgram p = Programs.compile("""
                func @f(%x: f32[300,7], %b: f32[7]) -> f32[300,7] {
                  %0 = add %x, %b : f32[300,7]
                  return %0
                }
                """, Shape.of(300, 7), Shape.of(7));
        assertEquals(List.of("loop_add"), Programs.kinds(p));
        assertFalse(p.ptx().contains(".v4."), "b is read at position mod 7, so the loop is not vectorized");
    }

    @Test
    void reductionsPickRowColumnOrSplitKernelsAndKeepTheirEpilogue() {
        GpuProgram p = Programs.compile("""
                func @r(%x: f32[1000,300], %v: f32[70000], %c: f32[4000,64]) -> (f32[1000], f32[], f32[64]) {
                  %0 = reduce_sum %x {axis=[1]} : f32[1000]
                  %1 = sqrt %0 : f32[1000]
                  %2 = reduce_sum %v : f32[]
                  %3 = reduce_sum %c {axis=[0]} : f32[64]
                  return %1, %2, %3
                }
                """, Shape.of(1000, 300), Shape.of(70000), Shape.of(4000, 64));
        assertEquals(List.of("row_reduce", "row_reduce_partial", "row_reduce_finish", "column_reduce_partial", "column_reduce_finish"),
                Programs.kinds(p));
        assertTrue(p.ptx().contains("sqrt.rn.f32"), "the epilogue runs in the reduction kernel");
        assertTrue(p.ptx().contains("shfl.sync.bfly"), "warps combine with butterfly shuffles");
        assertTrue(p.ptx().contains("bar.sync"), "blocks combine through shared memory");
    }

    @Test
    void matmulKeepsItsBiasAndActivation() {
        GpuProgram p = Programs.compile("""
                func @d(%x: f32[128,256], %w: f32[256,64], %b: f32[64]) -> f32[128,64] {
                  %0 = matmul %x, %w : f32[128,64]
                  %1 = add %0, %b : f32[128,64]
                  %2 = relu %1 : f32[128,64]
                  return %2
                }
                """, Shape.of(128, 256), Shape.of(256, 64), Shape.of(64));
        assertEquals(List.of("matmul"), Programs.kinds(p));
        GpuProgram.Launch l = (GpuProgram.Launch) p.steps().getFirst();
        assertEquals(List.of(1L, 2, 1), List.of(l.gridX(), l.gridY(), l.gridZ()), "a block per 64 x 64 tile of the output");
        assertTrue(p.ptx().contains("fma.rn.f32"));
    }

    @Test
    void anEpilogueStaysOutWhenItsValueFeedsAnotherReduction() {
        GpuProgram p = Programs.compile("""
                func @r(%x: f32[64,32]) -> f32[] {
                  %0 = reduce_max %x {axis=[1]} : f32[64]
                  %1 = exp %0 : f32[64]
                  %2 = reduce_sum %1 : f32[]
                  return %2
                }
                """, Shape.of(64, 32));
        // exp is the second reduction's prologue, so the first stores its maxima.
        assertEquals(List.of("row_reduce", "row_reduce"), Programs.kinds(p));
    }

    @Test
    void resultsThatAreArgumentsOrConstantsAreCopied() {
        GpuProgram p = Programs.compile("""
                func @m(%x: f32[3]) -> (f32[3], f32[]) {
                  %k = constant {value=dense<f32[]: 3.0>} : f32[]
                  return %x, %k
                }
                """, Shape.of(3));
        assertEquals(2, p.steps().size());
        assertTrue(p.steps().stream().allMatch(s -> s instanceof GpuProgram.Copy));
        assertEquals(1, p.constants().size());
    }

    @Test
    void aWhileLoopIsHostDrivenWithItsConditionAndBodyAsKernelSequences() {
        GpuProgram p = Programs.compile("""
                func @w(%x: f32[1000], %n: i32[]) -> (i32[], f32[1000]) {
                  %0 = constant {value=dense<i32[]: 0>} : i32[]
                  %1 = constant {value=dense<i32[]: 1>} : i32[]
                  %2, %3 = while %0, %x : i32[], f32[1000] {
                  ^(%i: i32[], %a: f32[1000]):
                    %4 = less %i, %n : bool[]
                    yield %4
                  } {
                  ^(%j: i32[], %b: f32[1000]):
                    %5 = add %j, %1 : i32[]
                    %6 = reduce_max %b : f32[]
                    %7 = sub %b, %6 : f32[1000]
                    %8 = exp %7 : f32[1000]
                    yield %5, %8
                  }
                  return %2, %3
                }
                """, Shape.of(1000), Shape.SCALAR);
        assertTrue(p.hasControlFlow());
        GpuProgram.While loop = p.steps().stream().filter(s -> s instanceof GpuProgram.While).map(s -> (GpuProgram.While) s)
                .findFirst().orElseThrow();
        assertEquals(1, loop.cond().stream().filter(s -> s instanceof GpuProgram.Launch).count(), "one kernel computes the predicate");
        List<String> body = loop.body().stream().filter(s -> s instanceof GpuProgram.Launch).map(s -> ((GpuProgram.Launch) s).kernel()
                .replaceFirst("^.*?_k\\d+_", "")).toList();
        assertEquals(List.of("loop_add", "row_reduce", "loop_exp"), body, "the body's kernels, in order, inside the loop");
        long copies = loop.body().stream().filter(s -> s instanceof GpuProgram.Copy).count();
        assertEquals(2, copies, "the body ends by copying both next values into the loop vars");
    }
}
