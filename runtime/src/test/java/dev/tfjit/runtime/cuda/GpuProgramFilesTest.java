package dev.tfjit.runtime.cuda;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.runtime.aot.AotArtifactError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A GPU program survives being written and read back, and a damaged one is refused with a clear error. */
class GpuProgramFilesTest {
    private static GpuProgram sample() {
        GpuProgram.Ref x = new GpuProgram.Ref(GpuProgram.Ref.Space.ARG, 0, 0), out = new GpuProgram.Ref(GpuProgram.Ref.Space.RESULT, 1, 0);
        GpuProgram.Ref part = new GpuProgram.Ref(GpuProgram.Ref.Space.SCRATCH, 0, 512), c = new GpuProgram.Ref(GpuProgram.Ref.Space.CONSTANT, 0, 0);
        GpuProgram.Ref pred = new GpuProgram.Ref(GpuProgram.Ref.Space.SCRATCH, 0, 768);
        return new GpuProgram("f", "sm_90", "// ptx\n.version 7.8\n", List.of(TensorType.of(DType.FLOAT32, 128, 4)),
                List.of(TensorType.of(DType.FLOAT32, 128), TensorType.of(DType.INT64)), 1024, List.of(new byte[]{1, 2, 3}),
                List.of(new GpuProgram.Launch("f_k0_row_reduce", 128, 1, 1, 256, true, List.of(GpuProgram.STATUS, x, part)),
                        new GpuProgram.Launch("f_k1_matmul", 2, 3, 4, 256, false, List.of(GpuProgram.STATUS, part, out)),
                        new GpuProgram.Copy(out, c, 8),
                        // a loop holding a branch, with a launch after both: nesting and order survive
                        new GpuProgram.While(List.of(new GpuProgram.Launch("f_k2_loop_less", 1, 1, 1, 256, true, List.of(part, pred))), pred,
                                List.of(new GpuProgram.Cond(pred, List.of(new GpuProgram.Copy(part, x, 4)), List.of()),
                                        new GpuProgram.Launch("f_k3_loop_add", 1, 1, 1, 256, true, List.of(part, part)))),
                        new GpuProgram.Launch("f_k4_loop_neg", 1, 1, 1, 256, true, List.of(part, out))),
                List.of(new GpuProgram.ErrorSite("floor_div", new SourceLocation("Model.java", 42), "Integer division by zero")));
    }

    @Test
    void roundTrips(@TempDir Path dir) {
        GpuProgram p = sample();
        GpuProgramFiles.write(p, dir);
        GpuProgram q = GpuProgramFiles.read(dir);
        assertEquals(p.name(), q.name());
        assertEquals(p.target(), q.target());
        assertEquals(p.ptx(), q.ptx());
        assertEquals(p.params(), q.params());
        assertEquals(p.results(), q.results());
        assertEquals(p.scratchBytes(), q.scratchBytes());
        assertEquals(p.steps(), q.steps());
        assertEquals(p.errors(), q.errors());
        assertArrayEquals(p.constants().getFirst(), q.constants().getFirst());
        assertEquals(List.of("f_k0_row_reduce", "f_k1_matmul", "f_k2_loop_less", "f_k3_loop_add", "f_k4_loop_neg"), q.kernels());
        assertTrue(q.hasControlFlow());
    }

    @Test
    void aDamagedProgramIsRefusedNamingTheProblem(@TempDir Path dir) throws Exception {
        AotArtifactError none = assertThrows(AotArtifactError.class, () -> GpuProgramFiles.read(dir));
        assertTrue(none.getMessage().contains(GpuProgramFiles.FILE), none.getMessage());
        GpuProgramFiles.write(sample(), dir);
        Path manifest = dir.resolve(GpuProgramFiles.FILE);
        Files.writeString(manifest, Files.readString(manifest).replace("step.1=launch", "step.1=jump"));
        AotArtifactError bad = assertThrows(AotArtifactError.class, () -> GpuProgramFiles.read(dir));
        assertTrue(bad.getMessage().contains("not a step"), bad.getMessage());
        GpuProgramFiles.write(sample(), dir);
        Files.writeString(manifest, Files.readString(manifest).replace("body\\=2", "body\\=9"));
        AotArtifactError nested = assertThrows(AotArtifactError.class, () -> GpuProgramFiles.read(dir));
        assertTrue(nested.getMessage().contains("the steps end early"), nested.getMessage());
    }

    @Test
    void launchShapesAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new GpuProgram.Launch("k", 1, 1, 1, 2048, false, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new GpuProgram.Launch("k", 1L << 32, 1, 1, 256, false, List.of()));
        assertEquals(new GpuProgram.Ref(GpuProgram.Ref.Space.CONSTANT, 3, 16), GpuProgram.Ref.parse("const3+16"));
    }
}
