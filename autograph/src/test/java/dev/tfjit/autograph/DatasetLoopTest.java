package dev.tfjit.autograph;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.GradientTape;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;
import dev.tfjit.tracer.Traceable;
import dev.tfjit.tracer.Variable;
import dev.tfjit.tracer.data.Dataset;
import dev.tfjit.tracer.data.DatasetIterator;
import dev.tfjit.tracer.data.StagedPass;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code for (var element : dataset)} in a traced function is staged, as tf.function stages a
 * loop over a tf.data.Dataset: one while node that reads a fresh pass over the pipeline on every
 * call (the machinery of {@code Dataset.reduce}), with the loop's tensors carried, and a
 * {@code break} that closes the pass. Each case is checked against the same Java loop run eagerly.
 */
class DatasetLoopTest {

    private static Tensor random(Random rnd, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) Math.floor(rnd.nextFloat() * 20 - 10) / 4f;
        return Tf.reshape(Tf.constant(v, n), shape);
    }

    private static Tensor sumOf(Dataset<Tensor> ds, Tensor scale) {
        Tensor s = Tf.constant(0f);
        for (Tensor x : ds) s = s.add(Tf.reduceSum(x).mul(scale));
        return s;
    }

    @Test
    void aForEachThatSumsADatasetIsOneWhileNodeAndEqualsTheEagerLoop() {
        Dataset<Tensor> ds = Dataset.fromTensorSlices(random(new Random(1), 11, 3)).batch(4);
        Function f = Function.of((Tensor scale) -> {
            Tensor s = Tf.constant(0f);
            for (Tensor x : ds) s = s.add(Tf.reduceSum(x).mul(scale));
            return s;
        });
        for (float k : new float[] {1f, -2f, 0.5f}) {
            assertEquals(sumOf(ds, Tf.constant(k)).floatValue(), f.call(Tf.constant(k)).floatValue(), 0f, "scale " + k);
        }
        assertEquals(1, f.traceCount(), "the batches (4, 4 and 3 rows) are read by the graph, not by the trace");
        assertEquals(1, Graphs.count(f, "while"));
        assertTrue(Graphs.countAll(f, "java_function") >= 3, "open, pull ahead, pull in the body");
        assertEquals(0, StagedPass.openPasses(), "exhausted passes are closed");
    }

    @Test
    void eachCallReadsTheDatasetAgain() {
        List<Tensor> source = new java.util.ArrayList<>(List.of(Tf.constant(1f), Tf.constant(2f)));
        Dataset<Tensor> ds = Dataset.fromIterable(source, dev.tfjit.tracer.data.ElementSpec.of(dev.tfjit.tracer.TensorSpec.of(DType.FLOAT32)));
        Function f = Function.of(() -> {
            Tensor s = Tf.constant(0f);
            for (Tensor x : ds) s = s.add(x);
            return s;
        });
        assertEquals(3f, f.call().floatValue());
        source.add(Tf.constant(10f));
        assertEquals(13f, f.call().floatValue());
        assertEquals(1, f.traceCount());
    }

    @Test
    void aBreakOnATensorLeavesEarlyAndClosesThePass() {
        Dataset<Tensor> ds = Dataset.range(100).map(x -> Tf.cast(x, DType.FLOAT32));
        Function f = Function.of((Tensor limit) -> {
            Tensor s = Tf.constant(0f);
            Tensor n = Tf.constant(0);
            for (Tensor x : ds) {
                if (s.add(x).greater(limit).booleanValue()) break;
                s = s.add(x);
                n = n.add(1);
            }
            return List.of(s, n);
        });
        for (float limit : new float[] {-1f, 10f, 100f, 1e6f}) {
            float s = 0;
            int n = 0;
            for (int x = 0; x < 100; x++) {
                if (s + x > limit) break;
                s += x;
                n++;
            }
            List<Tensor> out = f.callAll(Tf.constant(limit));
            assertEquals(s, out.get(0).floatValue(), 0f, "limit " + limit);
            assertEquals(n, out.get(1).intValue(), "limit " + limit);
            assertEquals(0, StagedPass.openPasses(), "the pass a break left is closed after the loop");
        }
        assertEquals(1, f.traceCount());
    }

    /** The index of the first element above t, skipping negative elements when counting; -1 if none. */
    private static final Traceable.F2<Dataset<Tensor>, Tensor> FIRST_ABOVE = (ds, t) -> {
        Tensor i = Tf.constant(0f);
        for (Tensor x : ds) {
            if (x.less(0f).booleanValue()) continue;
            if (x.greater(t).booleanValue()) return i;
            i = i.add(1f);
        }
        return Tf.constant(-1f);
    };

    @Test
    void continueAndAnEarlyReturnInsideTheLoopAgreeWithTheJavaRun() {
        Random rnd = new Random(21);
        Dataset<Tensor> ds = Dataset.fromTensorSlices(random(rnd, 30));
        Function f = Function.of((Tensor t) -> FIRST_ABOVE.apply(ds, t));
        Function direct = Function.of(FIRST_ABOVE);
        Converted eagerly = Converted.of(FIRST_ABOVE);
        for (float t : new float[] {-5f, 0f, 1.5f, 2.25f, 100f}) {
            float java = ((Tensor) FIRST_ABOVE.apply(ds, Tf.constant(t))).floatValue();
            assertEquals(java, ((Tensor) eagerly.invoke(ds, Tf.constant(t))).floatValue(), 0f, "converted code run eagerly, t = " + t);
            assertEquals(java, direct.call(ds, Tf.constant(t)).floatValue(), 0f, "staged, t = " + t);
            assertEquals(0, StagedPass.openPasses(), "a return from inside the loop closes the pass");
        }
        assertEquals(1, direct.traceCount(), "the dataset is a Java argument: one trace per dataset");
        TfException e = assertThrows(TfException.class, () -> f.call(Tf.constant(0f)));
        assertTrue(e.getMessage().contains("not in the methods they call"), "FIRST_ABOVE's code is another lambda: " + e.getMessage());
    }

    @Test
    void tupleAndDictElementsArriveAsListsAndMaps() {
        Random rnd = new Random(3);
        Tensor xs = random(rnd, 7, 2), ys = random(rnd, 7);
        Dataset<List<Tensor>> pairs = Dataset.fromTensorSlices(xs, ys).batch(3);
        Dataset<Map<String, Tensor>> named = Dataset.fromTensorSlices(Map.of("y", ys));
        Function f = Function.of(() -> {
            Tensor dot = Tf.constant(0f);
            for (List<Tensor> b : pairs) dot = dot.add(Tf.reduceSum(Tf.matmul(Tf.reshape(b.get(1), new int[] {1, -1}), b.get(0))));
            Tensor maxY = Tf.constant(-1e9f);
            for (Map<String, Tensor> e : named) maxY = Tf.maximum(maxY, e.get("y"));
            return List.of(dot, maxY);
        });
        List<Tensor> got = f.callAll();
        float dot = 0;
        float[] x = xs.toFloatArray(), y = ys.toFloatArray();
        for (int i = 0; i < 7; i++) dot += y[i] * x[2 * i] + y[i] * x[2 * i + 1];
        assertEquals(dot, got.get(0).floatValue(), 1e-5f);
        assertEquals(Tf.reduceMax(ys).floatValue(), got.get(1).floatValue(), 0f);
        assertEquals(2, Graphs.count(f, "while"));
    }

    /** One epoch of SGD on a linear model: forward pass, GradientTape, variable updates, the mean loss. */
    private static Traceable.F0 epoch(Dataset<List<Tensor>> batches, Variable w, Variable b, float lr) {
        return () -> {
            Tensor total = Tf.constant(0f);
            Tensor steps = Tf.constant(0f);
            for (List<Tensor> batch : batches) {
                Tensor x = batch.get(0), y = batch.get(1);
                GradientTape tape = new GradientTape();
                Tensor loss = Tf.reduceMean(Tf.square(Tf.matmul(x, w.read()).add(b.read()).sub(Tf.reshape(y, new int[] {-1, 1}))));
                tape.close();
                List<Tensor> g = tape.gradient(loss, List.of(w, b));
                w.assignSub(g.get(0).mul(lr));
                b.assignSub(g.get(1).mul(lr));
                total = total.add(loss);
                steps = steps.add(1f);
            }
            return total.div(steps);
        };
    }

    @Test
    void aTrainLoopOverBatchesMatchesTheEagerLoop() {
        Random rnd = new Random(11);
        Tensor x = random(rnd, 50, 3);
        Tensor y = Tf.reshape(Tf.matmul(x, Tf.constant(new float[][] {{1.5f}, {-2f}, {0.25f}})).add(0.75f), new int[] {-1});
        // Two copies of the pipeline: each counts its own passes, so both reshuffle each epoch the same way.
        java.util.function.Supplier<Dataset<List<Tensor>>> batches = () -> Dataset.fromTensorSlices(x, y).shuffle(50, 5).batch(16);

        Variable we = new Variable(Tf.zeros(new int[] {3, 1}, DType.FLOAT32)), be = new Variable(Tf.zeros(new int[] {1}, DType.FLOAT32));
        Variable ws = new Variable(Tf.zeros(new int[] {3, 1}, DType.FLOAT32)), bs = new Variable(Tf.zeros(new int[] {1}, DType.FLOAT32));
        Function staged = Function.of(epoch(batches.get(), ws, bs, 0.05f));
        Traceable.F0 eager = epoch(batches.get(), we, be, 0.05f);
        for (int e = 0; e < 4; e++) {
            float eagerLoss = ((Tensor) eager.apply()).floatValue();
            assertEquals(eagerLoss, staged.call().floatValue(), 1e-5f, "epoch " + e);
            assertArrayEquals(we.read().toFloatArray(), ws.read().toFloatArray(), 1e-5f, "w after epoch " + e);
            assertArrayEquals(be.read().toFloatArray(), bs.read().toFloatArray(), 1e-5f, "b after epoch " + e);
        }
        assertEquals(1, staged.traceCount(), "one trace; each call runs a whole, reshuffled epoch");
        assertEquals(1, Graphs.count(staged, "while"));
    }

    @Test
    void aJavaLoopOverEpochsUnrollsAroundTheStagedDatasetLoop() {
        Dataset<Tensor> ds = Dataset.range(5).map(v -> Tf.cast(v, DType.FLOAT32));
        Function f = Function.of((Tensor x) -> {
            Tensor s = x;
            for (int epoch = 0; epoch < 3; epoch++) {
                for (Tensor v : ds) s = s.mul(0.5f).add(v);
            }
            return s;
        });
        float s = 2f;
        for (int epoch = 0; epoch < 3; epoch++) for (int v = 0; v < 5; v++) s = s * 0.5f + v;
        assertEquals(s, f.call(Tf.constant(2f)).floatValue(), 0f);
        assertEquals(3, Graphs.count(f, "while"), "one staged loop per unrolled epoch");
    }

    @Test
    void anIteratorUsedOtherwiseThanByAForEachIsStillRefusedWhileTracing() {
        Dataset<Tensor> ds = Dataset.range(3);
        Function f = Function.of(() -> {
            Tensor s = Tf.constant(0L);
            try (DatasetIterator<Tensor> it = ds.iterator()) {
                while (it.hasNext()) s = s.add(it.next());
            }
            return s;
        });
        TfException e = assertThrows(TfException.class, f::call);
        assertTrue(e.getMessage().startsWith("a Dataset cannot be iterated with a Java loop in code that AutoGraph did not convert"),
                e.getMessage());
    }

    @Test
    void aLoopInAMethodTheLambdaCallsIsNotConvertedAndSaysSo() {
        Dataset<Tensor> ds = Dataset.range(3).map(v -> Tf.cast(v, DType.FLOAT32));
        Function f = Function.of((Tensor scale) -> sumOf(ds, scale));
        TfException e = assertThrows(TfException.class, () -> f.call(Tf.constant(1f)));
        assertTrue(e.getMessage().contains("not in the methods they call"), e.getMessage());
    }

    @Test
    void explainNamesTheDatasetLoop() {
        Dataset<Tensor> ds = Dataset.range(3).map(v -> Tf.cast(v, DType.FLOAT32));
        String report = Autograph.explain(Function.of((Tensor scale) -> {
            Tensor s = Tf.constant(0f);
            for (Tensor x : ds) {
                if (s.greater(scale).booleanValue()) break;
                s = s.add(x);
            }
            return s;
        }));
        assertTrue(report.contains(": for over a dataset -> while loop reading its elements on every call, carrying s, the position of the for"
                + " loop at line "), report);
        assertTrue(report.contains("; leaves by break"), report);
    }
}
