package dev.tfjit.codegen.ptx;

import dev.tfjit.ir.Buffer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The GPU backend's programs, run on the CPU-emulated device ({@link EmulatedDevice}), agree with
 * the interpreter: every kind of kernel's index math, thread cooperation and launch plan is
 * checked in every build, without a GPU.
 */
class EmulatedGpuTest {
    @TestFactory
    List<DynamicTest> everyKindOfKernelMatchesTheInterpreterOnTheEmulatedDevice() {
        List<DynamicTest> tests = new ArrayList<>();
        for (GpuCases.Case c : GpuCases.all()) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                assumeTrue(EmulatedDevice.isAvailable(), "no C compiler (cc) to build the emulated device");
                GpuCases.check(c, EmulatedGpuTest::run);
            }));
        }
        return tests;
    }

    static List<Buffer> run(GpuCases.Case c, List<Buffer> args) throws Throwable {
        PtxCompiler.Compiled compiled = PtxCompiler.compileWithIr(c.graph(), c.shapes(), "sm_90", true);
        try (EmulatedDevice d = EmulatedDevice.load(compiled)) {
            return d.run(args);
        }
    }
}
