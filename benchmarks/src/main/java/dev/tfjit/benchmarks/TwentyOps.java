package dev.tfjit.benchmarks;

import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

/** The 20-op function whose compile time is measured: elementwise chains, transcendentals, two reductions. */
final class TwentyOps {
    static final int LENGTH = 1024;

    private TwentyOps() {}

    /** {@code k} is a Java number, so every distinct value is a distinct graph (a cache miss). */
    static Tensor apply(Tensor x, Tensor y, float k) {
        Tensor a = x.mul(k);                       // 1
        Tensor b = a.add(y);                       // 2
        Tensor c = Tf.tanh(b);                     // 3
        Tensor d = c.sub(x);                       // 4
        Tensor e = Tf.exp(d.mul(0.5f));            // 5, 6
        Tensor f = e.div(y.add(2f));               // 7, 8
        Tensor g = Tf.maximum(f, x);               // 9
        Tensor h = Tf.relu(g.sub(1f));             // 10, 11
        Tensor i = Tf.sigmoid(h);                  // 12
        Tensor j = i.mul(c);                       // 13
        Tensor m = Tf.reduceSum(j);                // 14
        Tensor n = Tf.reduceMax(d);                // 15
        Tensor o = j.sub(m).mul(n);                // 16, 17
        Tensor p = Tf.square(o);                   // 18
        return Tf.sqrt(p.add(1f));                 // 19, 20
    }

    static float[] input(int seed) {
        float[] v = new float[LENGTH];
        for (int i = 0; i < LENGTH; i++) v[i] = (float) Math.sin(i * 0.1 + seed);
        return v;
    }
}
