package dev.tfjit.autograph;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Traceable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each converted program against its own Java run on eager tensors (the oracle: AutoGraph must
 * not change what the code computes), over random inputs from fixed seeds: a scalar x in
 * [-20, 20) and a vector v of 0 to 7 entries in [-10, 10). Each program is traced once for all
 * inputs, so every input runs the same staged graph.
 */
class DifferentialTest {

    private record Program(String name, Traceable.F2<Tensor, Tensor> code) {}

    private static List<Program> programs() {
        List<Program> p = new ArrayList<>();
        p.add(new Program("collatz-like steps of |x|", (x, v) -> {
            Tensor n = Tf.abs(Tf.cast(x, DType.INT32)).add(1);
            Tensor steps = Tf.constant(0);
            while (n.greater(1).booleanValue()) {
                if (Tf.equal(Tf.floormod(n, Tf.constant(2)), Tf.constant(0)).booleanValue()) n = Tf.floordiv(n, Tf.constant(2));
                else n = n.mul(3).add(1);
                steps = steps.add(1);
            }
            return Tf.cast(steps, DType.FLOAT32);
        }));
        p.add(new Program("newton sqrt until converged", (x, v) -> {
            Tensor a = Tf.abs(x).add(1f);
            Tensor r = a;
            while (true) {
                Tensor next = r.add(a.div(r)).mul(0.5f);
                if (Tf.abs(next.sub(r)).less(1e-4f).booleanValue()) break;
                r = next;
            }
            return r;
        }));
        p.add(new Program("sum of positives until one above 8", (x, v) -> {
            Tensor s = Tf.constant(0f);
            for (Tensor e : v) {
                if (e.lessEqual(0f).booleanValue()) continue;
                if (e.greater(8f).booleanValue()) break;
                s = s.add(e);
            }
            return s;
        }));
        p.add(new Program("index of the first entry above x, or -1", (x, v) -> {
            Tensor i = Tf.constant(0f);
            for (Tensor e : v) {
                if (e.greater(x).booleanValue()) return i;
                i = i.add(1f);
            }
            return Tf.constant(-1f);
        }));
        p.add(new Program("piecewise with early returns", (x, v) -> {
            if (x.less(-10f).booleanValue()) return x.mul(-2f);
            Tensor y = x.mul(x);
            if (y.greater(50f).booleanValue()) return y.sub(50f);
            if (!x.greater(0f).booleanValue()) return y.neg();
            return y.add(Tf.reduceSum(v));
        }));
        p.add(new Program("nested loops with a labeled break", (x, v) -> {
            Tensor found = Tf.constant(-1f);
            Tensor target = Tf.floor(Tf.abs(x));
            Tensor i = Tf.constant(1f);
            outer:
            while (i.less(8f).booleanValue()) {
                Tensor j = Tf.constant(1f);
                while (j.less(8f).booleanValue()) {
                    if (Tf.equal(i.mul(j), target).booleanValue()) {
                        found = i.mul(10f).add(j);
                        break outer;
                    }
                    j = j.add(1f);
                }
                i = i.add(1f);
            }
            return found;
        }));
        p.add(new Program("ifs inside a while with a Java loop inside", (x, v) -> {
            Tensor acc = Tf.constant(0f);
            Tensor k = Tf.constant(0f);
            while (k.less(6f).booleanValue()) {
                if (x.greater(k).booleanValue()) {
                    for (int r = 0; r < 3; r++) acc = acc.add(k.mul((float) r));
                } else if (x.less(k.neg()).booleanValue()) {
                    acc = acc.sub(1f);
                } else {
                    acc = acc.mul(0.5f);
                }
                k = k.add(1f);
            }
            return acc;
        }));
        p.add(new Program("do/while halving with continue", (x, v) -> {
            Tensor y = Tf.abs(x).add(1f);
            Tensor odd = Tf.constant(0f);
            do {
                y = Tf.floor(y.mul(0.5f));
                if (Tf.equal(Tf.floormod(y, Tf.constant(2f)), Tf.constant(0f)).booleanValue()) continue;
                odd = odd.add(1f);
            } while (y.greater(0f).booleanValue());
            return odd;
        }));
        p.add(new Program("max over rows with || and &&", (x, v) -> {
            Tensor best = Tf.constant(-100f);
            for (Tensor e : v) {
                if ((e.greater(best).booleanValue() && e.less(9f).booleanValue()) || Tf.equal(e, x).booleanValue()) best = e;
            }
            return best;
        }));
        return p;
    }

    @TestFactory
    List<DynamicTest> convertedProgramsAgreeWithTheirJavaRuns() {
        List<DynamicTest> tests = new ArrayList<>();
        long seed = 0;
        for (Program prog : programs()) {
            long s = seed++;
            tests.add(DynamicTest.dynamicTest(prog.name(), () -> {
                Function f = Autograph.function(prog.code()).withInputSignature(TensorSpec.of(DType.FLOAT32), TensorSpec.of(DType.FLOAT32, "?"));
                Converted converted = Converted.of(prog.code());
                Random rnd = new Random(1000 + s);
                for (int trial = 0; trial < 25; trial++) {
                    Tensor x = Tf.constant((float) Math.floor(rnd.nextFloat() * 40 - 20));
                    int n = rnd.nextInt(8);
                    float[] data = new float[n];
                    for (int i = 0; i < n; i++) data[i] = (float) Math.floor(rnd.nextFloat() * 20 - 10);
                    Tensor v = Tf.constant(data, n);
                    float[] expected = ((Tensor) prog.code().apply(x, v)).toFloatArray();
                    String what = prog.name() + " at x = " + x.floatValue() + ", v = " + java.util.Arrays.toString(data);
                    assertArrayEquals(expected, ((Tensor) converted.invoke(x, v)).toFloatArray(), 0f, "converted code, eagerly: " + what);
                    assertArrayEquals(expected, f.call(x, v).toFloatArray(), 1e-4f, "staged: " + what);
                }
                assertEquals(1, f.traceCount(), prog.name());
            }));
        }
        return tests;
    }
}
