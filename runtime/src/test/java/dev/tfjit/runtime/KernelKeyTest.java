package dev.tfjit.runtime;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A kernel key changes with everything the compiled code depends on, and only with that. */
class KernelKeyTest {
    static final String IR = "func @f(%x: f32[?]) -> f32[?] {\n  %0 = mul %x, %x : f32[?]\n  return %0\n}\n";
    static final KernelKey BASE = new KernelKey(IR, List.of(TensorType.of(DType.FLOAT32, 4)), 64,
            "x86_64-unknown-linux-gnu", "znver3", "+avx2,+fma", "tfjit dev llvm 20.1.7");

    @Test
    void equalInputsGiveEqualDigests() {
        KernelKey again = new KernelKey(IR, List.of(TensorType.of(DType.FLOAT32, 4)), 64,
                "x86_64-unknown-linux-gnu", "znver3", "+avx2,+fma", "tfjit dev llvm 20.1.7");
        assertEquals(BASE.digest(), again.digest());
        assertEquals(64, BASE.digest().length());
        assertTrue(BASE.digest().matches("[0-9a-f]{64}"));
    }

    @Test
    void theGraphTextIncludingConstantsIsPartOfTheKey() {
        assertNotEquals(BASE.digest(), with(IR.replace("mul", "add"), BASE.argTypes(), BASE.cpuFeatures()).digest());
        String c1 = "func @f() -> f32[] {\n  %0 = const {value=dense<f32[]: 1.0>} : f32[]\n  return %0\n}\n";
        String c2 = c1.replace("1.0", "2.0");
        assertNotEquals(with(c1, List.of(), BASE.cpuFeatures()).digest(), with(c2, List.of(), BASE.cpuFeatures()).digest());
    }

    @Test
    void argumentShapesAndDtypesArePartOfTheKey() {
        String f32x4 = BASE.digest();
        assertNotEquals(f32x4, with(IR, List.of(TensorType.of(DType.FLOAT32, 5)), BASE.cpuFeatures()).digest());
        assertNotEquals(f32x4, with(IR, List.of(TensorType.of(DType.FLOAT32, 2, 2)), BASE.cpuFeatures()).digest());
        assertNotEquals(f32x4, with(IR, List.of(TensorType.of(DType.FLOAT64, 4)), BASE.cpuFeatures()).digest());
        assertNotEquals(with(IR, List.of(TensorType.scalar(DType.FLOAT32)), BASE.cpuFeatures()).digest(),
                with(IR, List.of(TensorType.of(DType.FLOAT32, 1)), BASE.cpuFeatures()).digest(), "rank 0 vs [1]");
        assertNotEquals(with(IR, List.of(TensorType.of(DType.FLOAT32, 0)), BASE.cpuFeatures()).digest(), f32x4, "empty tensors");
    }

    @Test
    void targetAlignmentAndCompilerArePartOfTheKey() {
        assertNotEquals(BASE.digest(), with(IR, BASE.argTypes(), "+avx2,-fma").digest());
        assertNotEquals(BASE.digest(), new KernelKey(IR, BASE.argTypes(), 64, BASE.targetTriple(), "skylake",
                BASE.cpuFeatures(), BASE.compilerVersion()).digest());
        assertNotEquals(BASE.digest(), new KernelKey(IR, BASE.argTypes(), 64, "aarch64-unknown-linux-gnu", BASE.cpu(),
                BASE.cpuFeatures(), BASE.compilerVersion()).digest());
        assertNotEquals(BASE.digest(), new KernelKey(IR, BASE.argTypes(), 16, BASE.targetTriple(), BASE.cpu(),
                BASE.cpuFeatures(), BASE.compilerVersion()).digest());
        assertNotEquals(BASE.digest(), new KernelKey(IR, BASE.argTypes(), 64, BASE.targetTriple(), BASE.cpu(),
                BASE.cpuFeatures(), "tfjit dev llvm 21.1.0").digest());
    }

    @Test
    void aKeyNeedsConcreteShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> with(IR, List.of(new TensorType(DType.FLOAT32, Shape.of(-1))), ""));
        assertTrue(e.getMessage().contains("f32[?]"), e.getMessage());
    }

    static KernelKey with(String ir, List<TensorType> args, String features) {
        return new KernelKey(ir, args, BASE.alignment(), BASE.targetTriple(), BASE.cpu(), features, BASE.compilerVersion());
    }
}
