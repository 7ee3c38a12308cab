package dev.tfjit.autograph;

import dev.tfjit.autograph.fixtures.Faulty;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Traceable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What AutoGraph refuses, with the exact messages: each names the local, the statement's source
 * line and what to do instead. The code is in {@link Faulty}, whose lines are fixed.
 */
class ErrorMessagesTest {

    private static String message(Class<? extends Throwable> type, Traceable.F1<Tensor> code, Tensor x) {
        Function f = Autograph.function(code);
        return assertThrows(type, () -> f.call(x)).getMessage();
    }

    @Test
    void aCarriedShapeChange() {
        assertEquals("autograph: v is f32[2] before an iteration of the while loop at Faulty.java:20 but f32[4] after it;"
                        + " a value carried by a staged loop must keep its dtype and shape",
                message(TfException.class, Faulty::shapeChange, Tf.constant(new float[] {1, 2}, 2)));
    }

    @Test
    void aCarriedDtypeChange() {
        assertEquals("autograph: v is f32[] before an iteration of the while loop at Faulty.java:26 but i32[] after it;"
                        + " a value carried by a staged loop must keep its dtype and shape",
                message(TfException.class, Faulty::dtypeChange, Tf.constant(1f)));
    }

    @Test
    void aFieldWriteInAStagedLoop() {
        assertEquals("autograph: cannot stage the while loop at Faulty.java:32 (Faulty.fieldWrite) on a symbolic tensor: its body"
                        + " writes the field lastLoss (line 34), which would happen once while tracing instead of each time the graph"
                        + " takes this path; keep the value in a Tensor local or a Variable",
                message(UnimplementedError.class, Faulty::fieldWrite, Tf.constant(8f)));
    }

    @Test
    void aCollectionAddInAStagedBranch() {
        List<Tensor> history = new ArrayList<>();
        Function f = Autograph.function((Traceable.F2<Tensor, List<Tensor>>) Faulty::listAdd);
        assertEquals("autograph: cannot stage the if at Faulty.java:41 (Faulty.listAdd) on a symbolic tensor: a branch calls"
                        + " List.add (line 42), which would happen once while tracing instead of each time the graph takes this path;"
                        + " collect tensors in a TensorArray or a Tensor local",
                assertThrows(UnimplementedError.class, () -> f.call(Tf.constant(1f), history)).getMessage());
    }

    @Test
    void aJavaPrimitiveChangedByAStagedLoop() {
        assertEquals("autograph: steps is a Java int that changes inside the while loop at Faulty.java:51 (0 before an iteration,"
                        + " 1 after it), which is staged because its condition is a symbolic tensor; a staged loop carries only"
                        + " tensors: make steps a Tensor (Tf.constant) or compute it after the loop",
                message(TfException.class, Faulty::javaCounter, Tf.constant(1f)));
    }

    @Test
    void aTernaryOnASymbolicTensor() {
        assertEquals("autograph: cannot stage the condition at Faulty.java:59 (Faulty.ternary) on a symbolic tensor: the test"
                        + " chooses a value (a ternary ? :) instead of a statement; write it as an if statement that assigns a local,"
                        + " or use Tf.where or Tf.cond",
                message(UnimplementedError.class, Faulty::ternary, Tf.constant(1f)));
    }

    @Test
    void branchesThatDisagreeOnADtype() {
        assertEquals("autograph: y is i32[] after the then branch but f32[] after the else branch of the if at Faulty.java:64;"
                        + " both must leave it with the same dtype",
                message(TfException.class, Faulty::branchDtypes, Tf.constant(1f)));
    }

    @Test
    void aJavaValueThatWouldDependOnATensor() {
        assertEquals("autograph: scale is the Java Float -1.0 after the then branch but the Java Float 1.0 after the else branch"
                        + " of the if at Faulty.java:70, which is staged because its condition is a symbolic tensor; a Java value"
                        + " cannot depend on it: make scale a Tensor (Tf.constant)",
                message(TfException.class, Faulty::javaValueFromTensor, Tf.constant(1f)));
    }

    @Test
    void aLocalLeftNullOnOnePath() {
        assertEquals("autograph: y is a f32[] tensor after the then branch but null after the else branch of the if at"
                        + " Faulty.java:76, which is staged because its condition is a symbolic tensor; it must be a tensor on both paths",
                message(TfException.class, Faulty::nullOnOnePath, Tf.constant(1f)));
    }

    @Test
    void aThrowInAStagedBranch() {
        assertEquals("autograph: cannot stage the if at Faulty.java:81 (Faulty.throwInBranch) on a symbolic tensor: a branch"
                        + " throws an exception (line 81), which would be thrown while tracing whatever values the tensors hold",
                message(UnimplementedError.class, Faulty::throwInBranch, Tf.constant(1f)));
    }

    @Test
    void aTestStoredInABoolean() {
        assertEquals("autograph: cannot stage the condition at Faulty.java:86 (Faulty.storedTest) on a symbolic tensor: the"
                        + " boolean is stored or passed on instead of tested by an if or while; test the tensor directly in the"
                        + " if (...) or while (...)",
                message(UnimplementedError.class, Faulty::storedTest, Tf.constant(1f)));
    }

    @Test
    void theSameCodeRunsAsJavaOnEagerTensors() {
        // What cannot be staged is still plain Java when the tensors are concrete.
        assertEquals(3f, ((Tensor) Converted.of((Traceable.F1<Tensor>) Faulty::ternary).invoke(Tf.constant(-3f))).floatValue());
        assertThrows(IllegalArgumentException.class,
                () -> Converted.of((Traceable.F1<Tensor>) Faulty::throwInBranch).invoke(Tf.constant(-3f)));
    }
}
