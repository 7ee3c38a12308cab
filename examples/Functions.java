import dev.tfjit.autograph.Autograph;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.ConcreteFunction;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Variable;

import java.lang.invoke.MethodHandles;
import java.util.List;

/**
 * TensorFlow functions and graphs (seed chapter 12), in Java: tracing, the signature cache,
 * Java values versus tensors, staged printing, variables, functional control flow and the
 * optimized graph. Run with {@code ./tfjit run examples/Functions.java}.
 */
public class Functions {

    static Object cube(Object x) {
        if (x instanceof Integer i) return i * i * i;
        Tensor t = (Tensor) x;
        return Tf.pow(t, Tf.constant(3, t.dtype()));
    }

    public static void main(String[] args) {
        section("tf_cube = tf.function(cube)");
        Function tfCube = Function.of((Object x) -> cube(x)).named("cube");
        System.out.println("tf_cube(2)                 -> " + tfCube.call(2));
        System.out.println("tf_cube(tf.constant(2.0))  -> " + tfCube.call(Tf.constant(2.0f)));
        System.out.println("tf_cube.python_function(2) -> " + cube(2));

        section("One graph per input signature");
        tfCube.call(Tf.constant(10));
        tfCube.call(Tf.constant(20));                    // same int32 [] signature: reused
        tfCube.call(Tf.constant(new int[] {10, 20}));   // int32 [2]: a new graph
        tfCube.call(10);
        tfCube.call(20);                                 // each Java value is its own graph
        System.out.print(tfCube.explain());

        section("The graph of a concrete function (unknown batch size)");
        Function f = Function.of((Tensor x, Tensor y) -> Tf.reduceSum(x.mul(y).add(Tf.constant(1f).add(Tf.constant(2f)))));
        ConcreteFunction c = f.concrete(TensorSpec.of(DType.FLOAT32, "?", 784), TensorSpec.of(DType.FLOAT32, "?", 784));
        System.out.println("traced:\n" + c.tracedGraph());
        System.out.println("optimized (1 + 2 folded to 3):\n" + c.graph());

        section("Java side effects run while tracing; Tf.print runs on every call");
        Function noisy = Function.of((Tensor x) -> {
            System.out.println("  Java println: tracing with " + x);
            Tf.print("  Tf.print: x =", x);
            return x.mul(2f);
        });
        noisy.call(Tf.constant(1f));
        noisy.call(Tf.constant(2f));
        noisy.call(Tf.constant(3f));
        System.err.flush();

        section("Variables are captured by reference; assignments are staged");
        Variable counter = Variable.of(0);
        Function step = Function.of(() -> {
            counter.assignAdd(Tf.constant(1));
            return counter.read();
        });
        for (int i = 0; i < 3; i++) step.call();
        System.out.println("after 3 calls: " + counter);

        section("for i in tf.range(n) as one staged while loop");
        Function sumSquares = Function.of((Tensor n) -> Tf.forRange(n, Tf.constant(0), (i, s) -> s.add(i.mul(i))));
        System.out.println("sum of squares below 10:  " + sumSquares.call(Tf.constant(10)));
        System.out.println("sum of squares below 100: " + sumSquares.call(Tf.constant(100)));
        System.out.println("traces: " + sumSquares.traceCount());

        section("AutoGraph: Java if/while on tensors become cond/while nodes");
        Function collatz = Autograph.function(MethodHandles.lookup(), (Tensor n) -> {
            Tensor steps = Tf.constant(0);
            while (Tf.greater(n, Tf.constant(1)).booleanValue()) {
                if (Tf.equal(Tf.floormod(n, Tf.constant(2)), Tf.constant(0)).booleanValue()) {
                    n = Tf.floordiv(n, Tf.constant(2));
                } else {
                    n = n.mul(3).add(1);
                }
                steps = steps.add(1);
            }
            return steps;
        });
        System.out.println("Collatz steps for 27: " + collatz.call(Tf.constant(27)) + "; for 97: " + collatz.call(Tf.constant(97))
                + "; traces: " + collatz.traceCount());

        section("Tf.cond traces both branches");
        Function absolute = Function.of((Tensor x) -> Tf.cond(Tf.less(x, Tf.constant(0f)), x::neg, () -> x));
        System.out.println(absolute.call(Tf.constant(-4f)) + " " + absolute.call(Tf.constant(5f)));

        section("Reading a symbolic tensor while tracing is an error that says why");
        try {
            Function.of((Tensor x) -> Tf.constant(x.floatValue())).call(Tf.constant(1f));
        } catch (TfException e) {
            System.out.println("error: " + e.getMessage());
        }

        section("Retracing too often warns, naming the argument that changed");
        Function grow = Function.of((Tensor x) -> x.add(1f)).named("grow");
        for (int n = 1; n <= 6; n++) grow.call(Tf.ones(n));
        System.err.flush();
        Function widened = grow.withReduceRetracing(true);
        for (int n = 1; n <= 6; n++) widened.call(Tf.ones(n));
        System.out.println("with reduceRetracing: " + widened.traceCount() + " traces; " + widened.concreteFunctions().get(1).inputSpecs());
        List<Tensor> both = Function.of((Tensor x) -> List.of(x, x.mul(x))).callAll(Tf.constant(3f));
        System.out.println("several outputs: " + both);
    }

    static void section(String title) {
        System.out.println();
        System.out.println("== " + title);
    }
}
