package dev.tfjit.tests.goldens;

import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs every TensorFlow 2.18 golden case through tfjit's eager API and compares with TF's output
 * or error. A case tfjit cannot pass yet must be listed in {@link #KNOWN_GAPS} (with the reason
 * in a comment); a listed case that starts passing fails the test so the list stays honest.
 */
class GoldenCasesTest {
    /** Cases tfjit does not match yet. Keep it empty; every entry needs a reason. */
    static final Set<String> KNOWN_GAPS = Set.of();

    static final List<GoldenCase> CASES = GoldenCase.loadAll();

    @Test
    void theManifestHasEveryCase() {
        assertEquals(223, CASES.size());
    }

    @TestFactory
    Stream<DynamicTest> everyCaseMatchesTensorFlow() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
            String problem = problem(c);
            if (KNOWN_GAPS.contains(c.id())) {
                assertNotNull(problem, c.id() + " passes now: remove it from KNOWN_GAPS");
            } else if (problem != null) {
                fail(c.id() + " (" + c.op() + "): " + problem);
            }
        }));
    }

    /** Returns null when tfjit matches TensorFlow on this case, else what differs. */
    static String problem(GoldenCase c) {
        GoldenOp op = GoldenOps.find(c.op());
        if (op == null) return "no tfjit mapping for tf." + c.op();
        List<Tensor> in = new ArrayList<>();
        for (var b : c.inputs()) in.add(Tensor.of(b));
        List<Tensor> out;
        try {
            out = op.run(in, c.attrs());
        } catch (TfException e) {
            if (!c.expectsError()) return "threw " + e;
            String msg = String.valueOf(e.getMessage());
            String want = c.errorMessage().length() > 80 ? c.errorMessage().substring(0, 80) : c.errorMessage();
            return msg.contains(want.strip()) ? null : "error message '" + msg + "' does not contain TensorFlow's '" + want + "'";
        }
        if (c.expectsError()) return "returned " + out + " but TensorFlow raises InvalidArgumentError: " + c.errorMessage();
        if (out.size() != c.outputs().size()) return out.size() + " outputs, TensorFlow gives " + c.outputs().size();
        for (int k = 0; k < out.size(); k++) {
            String d = GoldenComparison.difference(c, c.outputs().get(k), out.get(k).buffer());
            if (d != null) return (out.size() > 1 ? "output " + k + ": " : "") + d;
        }
        return null;
    }

    @Test
    void errorCasesAreTfExceptions() {
        long errors = CASES.stream().filter(GoldenCase::expectsError).count();
        assertTrue(errors >= 19, "the manifest should hold TF's error cases");
    }
}
