package dev.tfjit.benchmarks.gpu;

import dev.tfjit.codegen.ptx.PtxCompiler;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrParser;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Verifier;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the GPU benchmark's programs ahead of time (this step needs LLVM, the GPU machine does
 * not): {@code java -cp benchmarks/target/classes:<bench.classpath> dev.tfjit.benchmarks.gpu.GpuBenchPrograms OUT_DIR sm_90}
 * makes one directory per program under OUT_DIR, each runnable by {@link GpuBench} with only
 * the ir and runtime jars.
 */
public final class GpuBenchPrograms {
    /** 64M float32 elements: 256 MiB per tensor. */
    static final int N = 64 << 20;

    private GpuBenchPrograms() {}

    /** Each benchmark program: its IR and argument shapes. */
    record Program(String ir, List<Shape> shapes) {}

    static Map<String, Program> programs() {
        Map<String, Program> p = new LinkedHashMap<>();
        p.put("elementwise", new Program("""
                func @elementwise(%x: f32[N], %y: f32[N]) -> f32[N] {
                  %0 = mul %x, %y : f32[N]
                  %1 = add %0, %x : f32[N]
                  %2 = relu %1 : f32[N]
                  return %2
                }
                """.replace("N", Integer.toString(N)), List.of(Shape.of(N), Shape.of(N))));
        p.put("reduce_sum", new Program("""
                func @reduce_sum(%x: f32[N]) -> f32[] {
                  %0 = reduce_sum %x : f32[]
                  return %0
                }
                """.replace("N", Integer.toString(N)), List.of(Shape.of(N))));
        p.put("row_sum", new Program("""
                func @row_sum(%x: f32[16384,4096]) -> f32[16384] {
                  %0 = reduce_sum %x {axis=[1]} : f32[16384]
                  return %0
                }
                """, List.of(Shape.of(16384, 4096))));
        p.put("softmax", new Program("""
                func @softmax(%x: f32[16384,4096]) -> f32[16384,4096] {
                  %0 = reduce_max %x {axis=[1], keepdims=true} : f32[16384,1]
                  %1 = sub %x, %0 : f32[16384,4096]
                  %2 = exp %1 : f32[16384,4096]
                  %3 = reduce_sum %2 {axis=[1], keepdims=true} : f32[16384,1]
                  %4 = div %2, %3 : f32[16384,4096]
                  return %4
                }
                """, List.of(Shape.of(16384, 4096))));
        p.put("layernorm", new Program("""
                func @layernorm(%x: f32[16384,4096]) -> f32[16384,4096] {
                  %e = constant {value=dense<f32[]: 0.00001>} : f32[]
                  %0 = reduce_mean %x {axis=[1], keepdims=true} : f32[16384,1]
                  %1 = sub %x, %0 : f32[16384,4096]
                  %2 = square %1 : f32[16384,4096]
                  %3 = reduce_mean %2 {axis=[1], keepdims=true} : f32[16384,1]
                  %4 = add %3, %e : f32[16384,1]
                  %5 = rsqrt %4 : f32[16384,1]
                  %6 = mul %1, %5 : f32[16384,4096]
                  return %6
                }
                """, List.of(Shape.of(16384, 4096))));
        p.put("matmul", new Program("""
                func @matmul(%a: f32[4096,4096], %b: f32[4096,4096]) -> f32[4096,4096] {
                  %0 = matmul %a, %b : f32[4096,4096]
                  return %0
                }
                """, List.of(Shape.of(4096, 4096), Shape.of(4096, 4096))));
        p.put("tiny", new Program("""
                func @tiny(%x: f32[4]) -> f32[4] {
                  %c = constant {value=dense<f32[]: 1.0>} : f32[]
                  %0 = add %x, %c : f32[4]
                  return %0
                }
                """, List.of(Shape.of(4))));
        return p;
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: GpuBenchPrograms OUT_DIR SM (one of " + PtxCompiler.targets() + ")");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        for (Map.Entry<String, Program> e : programs().entrySet()) {
            Graph g = IrParser.parse(e.getValue().ir());
            Verifier.verify(g);
            PtxCompiler.writeArtifact(g, e.getValue().shapes(), args[1], e.getKey(), out.resolve(e.getKey()));
            System.out.println("wrote " + out.resolve(e.getKey()));
        }
    }
}
