package dev.tfjit.tests.agent;

import dev.tfjit.autograph.TfFunctions;
import dev.tfjit.autograph.agent.TfjitAgent;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.TfFunction;
import dev.tfjit.tracer.Variable;

import java.util.Arrays;

/**
 * Run by AgentIT in a child JVM, with and without {@code -javaagent}: it calls {@code @TfFunction}
 * methods directly, as plain Java code does, and prints what they return ("result" lines, which
 * must not depend on the agent) and how often each function was traced ("traces" lines: the
 * agent's work).
 */
public final class AgentProgram {
    /** A counter model: the state is a variable of the object; the loop stops on a tensor condition. */
    public static class Accumulator {
        final Variable total = Variable.of(0f);

        @TfFunction
        public Tensor addUntil(Tensor x, Tensor limit) {
            Tensor added = Tf.constant(0);
            while (true) {
                if (total.read().add(x).greater(limit).booleanValue()) break;
                total.assignAdd(x);
                added = added.add(1);
            }
            return added;
        }

        @TfFunction(inputSignature = "f32[?]")
        public Tensor scaled(Tensor v) {
            Tensor s = Tf.constant(0f);
            for (Tensor e : v) {
                if (e.less(0f).booleanValue()) continue;
                s = s.add(e);
            }
            return v.mul(total.read()).add(s);
        }

        @TfFunction(jitCompile = true)
        public static Tensor sumSquares(Tensor n) {
            Tensor s = Tf.constant(0);
            for (Tensor i : Tf.range(n)) s = s.add(i.mul(i));
            return s;
        }
    }

    public static void main(String[] args) {
        System.out.println("agent " + (TfjitAgent.isInstalled() ? "on" : "off"));
        Accumulator acc = new Accumulator();
        System.out.println("result addUntil " + acc.addUntil(Tf.constant(3f), Tf.constant(10f)).intValue() + " total "
                + acc.total.read().floatValue());
        System.out.println("result addUntil " + acc.addUntil(Tf.constant(1f), Tf.constant(11.5f)).intValue() + " total "
                + acc.total.read().floatValue());
        acc.total.assign(Tf.constant(2f));
        for (int n = 1; n <= 3; n++) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) v[i] = i % 2 == 0 ? i + 1 : -(i + 1);
            System.out.println("result scaled " + Arrays.toString(acc.scaled(Tf.constant(v, n)).toFloatArray()));
        }
        System.out.println("result sumSquares " + Accumulator.sumSquares(Tf.constant(10)).intValue() + " "
                + Accumulator.sumSquares(Tf.constant(20)).intValue());
        TfFunctions.Compiled fs = TfFunctions.compile(acc);
        System.out.println("traces addUntil " + fs.function("addUntil").traceCount() + " scaled " + fs.function("scaled").traceCount()
                + " sumSquares " + fs.function("sumSquares").traceCount());
        System.out.println("backend sumSquares " + (fs.function("sumSquares").traceCount() > 0
                ? fs.function("sumSquares").concreteFunctions().get(0).backendName() : "none"));
    }
}
