import dev.tfjit.autograph.Autograph;
import dev.tfjit.autograph.TfFunctions;
import dev.tfjit.autograph.agent.TfjitAgent;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.TfFunction;
import dev.tfjit.tracer.Variable;

import java.lang.invoke.MethodHandles;
import java.util.List;

/**
 * AutoGraph and tracing (seed 003): Java {@code for}/{@code while}/{@code if}/{@code break}/
 * {@code continue}/{@code return} on tensors become staged {@code while} and {@code cond} nodes,
 * while loops over Java values run as Java and unroll; {@code @TfFunction} methods.
 * Run with {@code ./tfjit run examples/AutoGraph.java}: the launcher adds tfjit's agent, so calling
 * an annotated method runs its compiled function.
 */
public class AutoGraph {

    /** A model whose methods are TF functions; its variables are captured by reference. */
    public static class Model {
        final Variable w = Variable.of(0f);

        @TfFunction(inputSignature = "f32[?]")
        public Tensor predict(Tensor x) {
            return x.mul(w.read());
        }

        /** Gradient descent on (w * x - y)^2, stopping early once the loss is below tol. */
        @TfFunction
        public Tensor fit(Tensor x, Tensor y, Tensor tol) {
            Tensor step = Tf.constant(0);
            for (Tensor i : Tf.range(500)) {
                Tensor err = predict(x).sub(y);
                Tensor loss = Tf.reduceMean(err.mul(err));
                if (loss.less(tol).booleanValue()) break;
                w.assignSub(Tf.reduceMean(err.mul(x)).mul(0.05f));
                step = step.add(1);
            }
            return step;
        }

        /** Collatz steps, compiled to native code. */
        @TfFunction(jitCompile = true)
        public static Tensor collatz(Tensor n) {
            Tensor steps = Tf.constant(0);
            while (true) {
                if (n.lessEqual(1).booleanValue()) break;
                if (Tf.equal(Tf.floormod(n, Tf.constant(2)), Tf.constant(0)).booleanValue()) {
                    n = Tf.floordiv(n, Tf.constant(2));
                } else {
                    n = n.mul(3).add(1);
                }
                steps = steps.add(1);
            }
            return steps;
        }
    }

    static float lastLoss;

    public static void main(String[] args) {
        MethodHandles.Lookup lookup = MethodHandles.lookup();

        section("for i in tf.range(n): one staged while loop, whatever n");
        Function sumSquares = Autograph.function(lookup, (Tensor n) -> {
            Tensor s = Tf.constant(0);
            for (Tensor i : Tf.range(n)) s = s.add(i.mul(i));
            return s;
        });
        System.out.println("sum_squares(10)  = " + sumSquares.call(Tf.constant(10)));
        System.out.println("sum_squares(100) = " + sumSquares.call(Tf.constant(100)));
        System.out.println("traces: " + sumSquares.traceCount() + ", while nodes: " + ops(sumSquares, "while"));

        section("add_10: tf.range stages a loop, a Java range unrolls while tracing");
        Function add10Staged = Autograph.function(lookup, (Tensor x) -> {
            for (Tensor i : Tf.range(10)) x = x.add(1);
            return x;
        });
        Function add10Unrolled = Autograph.function(lookup, (Tensor x) -> {
            for (int i = 0; i < 10; i++) x = x.add(1);
            return x;
        });
        System.out.println("tf.range: " + add10Staged.call(Tf.constant(5)).intValue() + " with " + ops(add10Staged, "while")
                + " while node and " + ops(add10Staged, "add") + " add nodes outside it");
        System.out.println("range:    " + add10Unrolled.call(Tf.constant(5)).intValue() + " with " + ops(add10Unrolled, "while")
                + " while nodes and " + ops(add10Unrolled, "add") + " add nodes");

        section("break and continue on tensors: exit flags of the staged loop");
        Function oddSum = Autograph.function(lookup, (Tensor limit) -> {
            Tensor s = Tf.constant(0);
            for (Tensor i : Tf.range(1000)) {
                if (Tf.equal(Tf.floormod(i, Tf.constant(2)), Tf.constant(0)).booleanValue()) continue;
                if (s.add(i).greater(limit).booleanValue()) break;
                s = s.add(i);
            }
            return s;
        });
        System.out.println("odd numbers summed while the sum stays <= 50: " + oddSum.call(Tf.constant(50)).intValue()
                + ", <= 1000: " + oddSum.call(Tf.constant(1000)).intValue() + "; traces: " + oddSum.traceCount());

        section("Conditional returns: a cond over the rest of the function");
        Function clip = Autograph.function(lookup, (Tensor x) -> {
            if (x.less(0f).booleanValue()) return Tf.constant(0f);
            if (x.greater(1f).booleanValue()) return Tf.constant(1f);
            return x;
        });
        System.out.println("clip(-2) = " + clip.call(Tf.constant(-2f)).floatValue() + ", clip(0.25) = "
                + clip.call(Tf.constant(0.25f)).floatValue() + ", clip(7) = " + clip.call(Tf.constant(7f)).floatValue());

        section("What AutoGraph converted (explain)");
        System.out.println(Autograph.explain(lookup, (dev.tfjit.tracer.Traceable.F1<Tensor>) (Tensor limit) -> {
            Tensor s = Tf.constant(0);
            for (Tensor i : Tf.range(1000)) {
                if (s.add(i).greater(limit).booleanValue()) break;
                s = s.add(i);
            }
            for (int k = 0; k < 3; k++) s = s.mul(2);
            return s;
        }));

        section("The staged graph with source lines (to_code)");
        System.out.print(Autograph.toCode(sumSquares));

        section("@TfFunction methods");
        Model model = new Model();
        System.out.println(TfjitAgent.isInstalled() ? "agent: on, calls of @TfFunction methods run their functions"
                : "agent: off, so the functions come from TfFunctions.compile");
        TfFunctions.Compiled compiled = TfFunctions.compile(lookup, model);
        Tensor x = Tf.constant(new float[] {1, 2, 3, 4}, 4);
        Tensor y = Tf.constant(new float[] {3, 6, 9, 12}, 4);
        Tensor steps = TfjitAgent.isInstalled() ? model.fit(x, y, Tf.constant(1e-3f)) : compiled.call("fit", x, y, Tf.constant(1e-3f));
        System.out.printf("fit stopped early after %d steps; w = %.3f%n", steps.intValue(), model.w.read().floatValue());
        Tensor p = TfjitAgent.isInstalled() ? model.predict(Tf.constant(new float[] {10, 20}, 2)) : compiled.call("predict", Tf.constant(new float[] {10, 20}, 2));
        System.out.printf("predict([10, 20]) = [%.2f, %.2f]%n", p.toFloatArray()[0], p.toFloatArray()[1]);
        Function collatz = TfFunctions.compile(lookup, Model.class).function("collatz");
        Tensor c = TfjitAgent.isInstalled() ? Model.collatz(Tf.constant(27)) : collatz.call(Tf.constant(27));
        System.out.println("collatz(27) = " + c.intValue() + " steps, on " + collatz.concreteFunctions().get(0).backendName());
        System.out.println("fit traces: " + compiled.function("fit").traceCount() + ", predict traces: "
                + compiled.function("predict").traceCount());

        section("What cannot be staged is an error that names the line");
        try {
            Autograph.function(lookup, (Tensor t) -> {
                Tensor v = t;
                while (v.less(10f).booleanValue()) {
                    v = v.add(1f);
                    lastLoss = 1f;
                }
                return v;
            }).call(Tf.constant(1f));
        } catch (TfException e) {
            System.out.println("error: " + e.getMessage());
        }
        try {
            Autograph.function(lookup, (Tensor t) -> {
                Tensor v = t;
                while (Tf.reduceSum(v).less(100f).booleanValue()) v = Tf.concat(List.of(v, v), 0);
                return v;
            }).call(Tf.constant(new float[] {1, 2}, 2));
        } catch (TfException e) {
            System.out.println("error: " + e.getMessage());
        }
    }

    static long ops(Function f, String op) {
        return f.concreteFunctions().get(0).tracedGraph().body().nodes().stream().filter(n -> n.op().name().equals(op)).count();
    }

    static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }
}
