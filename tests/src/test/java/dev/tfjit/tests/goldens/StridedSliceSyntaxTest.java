package dev.tfjit.tests.goldens;

import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Each strided_slice golden case also carries the Python index expression it came from
 * ({@code x[1, ..., ::-1]}); the same expression through {@code Tensor.get(String)} must give
 * TensorFlow's result, which checks the lowering of Python's syntax to the masks.
 */
class StridedSliceSyntaxTest {
    @TestFactory
    Stream<DynamicTest> pythonIndexExpressionsMatchTensorFlow() {
        return GoldenCasesTest.CASES.stream().filter(c -> c.op().equals("strided_slice")).map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            String python = c.attrs().string("python");
            assertTrue(python.startsWith("x[") && python.endsWith("]"), python);
            String index = python.substring(2, python.length() - 1);
            Tensor x = Tensor.of(c.inputs().get(0));
            Tensor out;
            try {
                out = x.get(index);
            } catch (TfException e) {
                assertNotNull(c.errorMessage(), python + " threw " + e);
                assertTrue(e.getMessage().contains(c.errorMessage().strip()), e.getMessage());
                return;
            }
            if (c.expectsError()) fail(python + " should fail with " + c.errorMessage());
            assertNull(GoldenComparison.difference(c, c.outputs().get(0), out.buffer()), python);
        }));
    }
}
