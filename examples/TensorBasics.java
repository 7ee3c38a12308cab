import dev.tfjit.ir.DType;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.ir.format.TensorFormatter;
import dev.tfjit.tracer.Tf;

import java.util.List;

/**
 * A walk-through of TensorFlow 2's tensor basics (the seed notes "DL-TensorFlow入门" and the
 * tensor part of "Hands-on ML" chapter 12), in Java. Every value prints exactly as TensorFlow
 * prints it. Run with {@code ./tfjit run examples/TensorBasics.java}.
 */
public class TensorBasics {

    public static void main(String[] args) {
        section("A first computation: eager, like TensorFlow 2");
        Tensor a = Tf.constant(2.0f);
        Tensor b = Tf.constant(4.0f);
        show("a + b", a.add(b));

        section("Scalars, vectors, matrices, tensors");
        show("tf.constant(2)", Tf.constant(2));
        show("tf.constant([1, 2., 3.3])", Tf.constant(new float[]{1, 2, 3.3f}));
        show("b1.numpy()", Tf.constant(new float[]{1, 2, 3.3f}).toNumpyString());
        show("tf.constant([[1, 2], [3, 4]])", Tf.constant(new int[][]{{1, 2}, {3, 4}}));
        show("tf.constant([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])",
                Tf.constant(new int[][][]{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}));
        show("tf.constant('Hello Tensorflow!')", Tf.constant("Hello Tensorflow!"));
        show("tf.strings.lower(s1)", Tf.strings.lower(Tf.constant("Hello Tensorflow!")));
        show("tf.constant(True), tf.constant(False)", Tf.constant(true), Tf.constant(false));

        section("Creating tensors");
        show("tf.zeros([]), tf.ones([])", Tf.zeros(), Tf.ones());
        show("tf.zeros([2, 2])", Tf.zeros(2, 2));
        show("tf.ones([3, 2])", Tf.ones(3, 2));
        show("tf.fill([2], -1)", Tf.fill(new int[]{2}, -1));
        show("tf.fill([2, 3], -2)", Tf.fill(new int[]{2, 3}, -2));
        show("tf.range(10, delta=2)", Tf.range(0, 10, 2));
        show("tf.range(2, 10, delta=3)", Tf.range(2, 10, 3));
        show("tf.linspace(-1., 1., 5)", Tf.linspace(-1.0f, 1.0f, 5));
        show("tf.eye(3)", Tf.eye(3));
        Tf.random.setSeed(42);
        show("tf.random.set_seed(42); tf.random.normal([2, 3])", Tf.random.normal(2, 3));
        show("tf.random.normal([2, 2], 1, 2)", Tf.random.normal(new int[]{2, 2}, 1, 2));
        show("tf.random.uniform([2, 4], maxval=10, dtype=tf.int32)",
                Tf.random.uniform(new int[]{2, 4}, 0, 10, DType.INT32));

        section("Dtypes and explicit casts");
        show("tf.constant(123456789, tf.int16)  # overflows", Tf.constant(123456789, DType.INT16));
        show("tf.constant(123456789, tf.int32)", Tf.constant(123456789, DType.INT32));
        show("tf.constant(np.pi, tf.float32)", Tf.constant(Math.PI, DType.FLOAT32));
        show("tf.constant(np.pi, tf.float64)", Tf.constant(Math.PI, DType.FLOAT64));
        show("tf.cast(tf.constant(np.pi, tf.float16), tf.float32)", Tf.constant(Math.PI, DType.FLOAT16).cast(DType.FLOAT32));
        show("tf.cast([True, False], tf.float32)", Tf.constant(new boolean[]{true, false}).cast(DType.FLOAT32));
        try {
            Tf.constant(2.0f).add(Tf.constant(40.0));
        } catch (TfException e) {
            show("tf.constant(2.) + tf.constant(40., dtype=tf.float64)  # no implicit casts", "error: " + e.getMessage());
        }
        show("tf.constant(2.) + tf.cast(tf.constant(40., dtype=tf.float64), tf.float32)",
                Tf.constant(2.0f).add(Tf.constant(40.0).cast(DType.FLOAT32)));

        section("Arithmetic and broadcasting");
        Tensor r = Tf.range(5);
        Tensor two = Tf.constant(2);
        show("a = tf.range(5); a // 2, a % 2", r.floordiv(two), r.mod(two));
        Tensor x4 = Tf.range(4);
        show("x ** 2, tf.pow(x, 2)", x4.pow(2), Tf.pow(x4, Tf.constant(2)));
        show("tf.exp(1.)", Tf.exp(Tf.constant(1.0f)));
        show("tf.sqrt([1., 4., 9.])", Tf.sqrt(Tf.constant(new float[]{1, 4, 9})));
        show("tf.math.log([1., 10.])", Tf.log(Tf.constant(new float[]{1, 10})));
        Tf.random.setSeed(1);
        Tensor x = Tf.random.normal(2, 4);
        Tensor w = Tf.random.normal(4, 3);
        Tensor bias = Tf.zeros(3);
        show("x @ w + b  # [2, 4] @ [4, 3] + [3]", Tf.matmul(x, w).add(bias));
        show("tf.maximum(tf.range(10), 2), tf.minimum(tf.range(10), 7)",
                Tf.maximum(Tf.range(10), Tf.constant(2)), Tf.minimum(Tf.range(10), Tf.constant(7)));

        section("Tensors and operations, shown as the REPL shows them (repr)");
        Tensor t = Tf.constant(new float[][]{{1, 2, 3}, {4, 5, 6}});
        repl("t = tf.constant([[1., 2., 3.], [4., 5., 6.]])", t);
        repl("t[:, 1:]", t.get(":, 1:"));
        repl("t[..., 1, tf.newaxis]", t.get("..., 1, tf.newaxis"));
        repl("t + 10", t.add(10));
        repl("tf.square(t)", Tf.square(t));
        repl("t @ tf.transpose(t)", Tf.matmul(t, Tf.transpose(t)));
        repl("tf.constant(42)", Tf.constant(42));
        repl("tf.constant(np.array([2., 4., 5.]))", Tf.constant(new double[]{2, 4, 5}));
        show("t.numpy()", t.toNumpyString());
        show("t + [10., 20., 30.]  # broadcast over rows", t.add(Tf.constant(new float[]{10, 20, 30})));

        section("Indexing and slicing");
        Tensor grid = Tf.reshape(Tf.range(24), 2, 3, 4);
        show("x = tf.reshape(tf.range(24), [2, 3, 4])", grid);
        show("x[0]", grid.get("0"));
        show("x[0, 1]", grid.get("0, 1"));
        show("x[0, 1, 2]", grid.get("0, 1, 2"));
        show("x[:, 1:, ::2]", grid.get(":, 1:, ::2"));
        show("x[..., -1]", grid.get("..., -1"));
        show("x[1, ::-1]", grid.get("1, ::-1"));

        section("Changing shape");
        Tensor seq = Tf.range(12);
        show("tf.reshape(tf.range(12), [3, 4])", seq.reshape(3, 4));
        show("tf.reshape(x, [2, -1])", seq.reshape(2, -1));
        show("tf.expand_dims(x, axis=0).shape", seq.expandDims(0).shape());
        show("tf.squeeze(tf.zeros([1, 3, 1])).shape", Tf.squeeze(Tf.zeros(1, 3, 1)).shape());
        show("tf.transpose(tf.reshape(x, [3, 4]))", seq.reshape(3, 4).transpose());
        show("tf.tile([[1, 2]], [2, 1])", Tf.constant(new int[][]{{1, 2}}).tile(2, 1));
        show("tf.pad([7, 8, 1, 6], [[0, 2]])", Tf.pad(Tf.constant(new int[]{7, 8, 1, 6}), new int[][]{{0, 2}}));

        section("Concatenate, stack, split");
        Tensor p = Tf.constant(new int[][]{{1, 2}, {3, 4}});
        Tensor q = Tf.constant(new int[][]{{5, 6}, {7, 8}});
        show("tf.concat([a, b], axis=0)", Tf.concat(List.of(p, q), 0));
        show("tf.concat([a, b], axis=1)", Tf.concat(List.of(p, q), 1));
        show("tf.stack([a, b], axis=0)", Tf.stack(List.of(p, q), 0));
        List<Tensor> parts = Tf.split(Tf.range(10), 2, 0);
        show("tf.split(tf.range(10), 2)", parts.get(0), parts.get(1));
        List<Tensor> uneven = Tf.split(Tf.range(10), new int[]{3, 7}, 0);
        show("tf.split(tf.range(10), [3, 7])", uneven.get(0), uneven.get(1));

        section("Reductions and statistics");
        Tensor s = Tf.constant(new float[][]{{1, 2, 3}, {4, 5, 6}});
        show("tf.reduce_sum(t)", Tf.reduceSum(s));
        show("tf.reduce_sum(t, axis=0)", Tf.reduceSum(s, 0));
        show("tf.reduce_mean(t, axis=1)", Tf.reduceMean(s, 1));
        show("tf.reduce_max(t, axis=-1), tf.reduce_min(t)", Tf.reduceMax(s, -1), Tf.reduceMin(s));
        show("tf.reduce_sum(t, axis=1, keepdims=True)", Tf.reduceSum(s, new int[]{1}, true));
        Tensor scores = Tf.constant(new float[][]{{0.1f, 2.0f, 0.5f}, {3.0f, 0.2f, 0.1f}});
        show("out = tf.nn.softmax(logits, axis=1)", Tf.softmax(scores, 1));
        Tensor probabilities = Tf.softmax(scores, 1);
        show("tf.argmax(out, axis=1), tf.argmin(out, axis=1)", Tf.argmax(probabilities, 1), Tf.argmin(probabilities, 1));
        Tensor ones = Tf.ones(2, 2);
        show("tf.norm(x, ord=1), tf.norm(x, ord=2), tf.norm(x, ord=np.inf)  # x = tf.ones([2, 2])",
                Tf.norm(ones, 1, null, false), Tf.norm(ones, 2, null, false), Tf.norm(ones, Double.POSITIVE_INFINITY, null, false));
        Tensor label = Tf.oneHot(Tf.constant(new int[]{2, 3, 2, 0}), 4);
        Tensor guess = Tf.constant(new float[][]{{0, 0, 1, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {1, 0, 0, 0}});
        show("tf.reduce_mean(tf.keras.losses.mse(y, out))", Tf.reduceMean(Tf.meanSquaredError(label, guess)));
        show("tf.math.cumsum([1, 2, 3, 4])", Tf.cumsum(Tf.constant(new int[]{1, 2, 3, 4}), 0));

        section("Comparisons, masks and where");
        Tensor pred = Tf.constant(new long[]{1, 2, 3, 4, 5});
        Tensor truth = Tf.constant(new long[]{1, 0, 3, 4, 0});
        Tensor correct = Tf.equal(pred, truth);
        show("tf.equal(pred, y)", correct);
        show("tf.reduce_sum(tf.cast(correct, tf.float32))", Tf.reduceSum(correct.cast(DType.FLOAT32)));
        Tensor values = Tf.constant(new float[]{-2, -1, 0, 1, 2});
        show("x > 0, tf.math.is_nan(x / x)", values.greater(0), Tf.isNan(values.div(values)));
        Tensor cond = Tf.constant(new boolean[][]{{true, false, false}, {false, true, false}, {true, true, false}});
        show("tf.where(cond, tf.ones([3, 3]), tf.zeros([3, 3]))", Tf.where(cond, Tf.ones(3, 3), Tf.zeros(3, 3)));
        show("tf.where(x > 0)  # coordinates of True", Tf.where(values.greater(0)));
        show("tf.boolean_mask(x, x > 0)", Tf.booleanMask(values, values.greater(0)));
        show("tf.clip_by_value(tf.range(10), 2, 7)", Tf.clipByValue(Tf.range(10), 2, 7));
        show("tf.gather_nd([[1, 2], [3, 4]], [[1, 1], [0, 1]])",
                Tf.gatherNd(Tf.constant(new int[][]{{1, 2}, {3, 4}}), Tf.constant(new int[][]{{1, 1}, {0, 1}})));
        show("tf.gather([10, 20, 30, 40], [3, 0])", Tf.gather(Tf.constant(new int[]{10, 20, 30, 40}), Tf.constant(new int[]{3, 0})));
        show("tf.one_hot([2, 3, 2, 0], depth=4)", Tf.oneHot(Tf.constant(new int[]{2, 3, 2, 0}), 4));
        show("tf.scatter_nd([[4], [3], [1], [7]], [4.4, 3.3, 1.1, 7.7], [8])",
                Tf.scatterNd(Tf.constant(new int[][]{{4}, {3}, {1}, {7}}), Tf.constant(new float[]{4.4f, 3.3f, 1.1f, 7.7f}), 8));

        section("Sorting and top-k");
        Tensor unsorted = Tf.constant(new float[]{1, 5, 3, 9, 7});
        show("tf.sort(x), tf.sort(x, direction='DESCENDING'), tf.argsort(x)",
                Tf.sort(unsorted), Tf.sort(unsorted, -1, "DESCENDING"), Tf.argsort(unsorted));
        List<Tensor> top = Tf.topK(Tf.constant(new float[]{1, 5, 3, 9, 7}), 3);
        show("tf.math.top_k([1., 5., 3., 9., 7.], k=3)", top.get(0), top.get(1));

        section("Strings");
        Tensor words = Tf.constant(new String[]{"Café", "tensor", "JIT"});
        show("tf.constant(['Café', 'tensor', 'JIT'])", words);
        show("tf.strings.upper(words)", Tf.strings.upper(words));
        show("tf.strings.length(words), ... unit='UTF8_CHAR'", Tf.strings.length(words),
                Tf.strings.length(words, dev.tfjit.tracer.TfStrings.Unit.UTF8_CHAR));
        show("tf.strings.substr(words, 0, 3)", Tf.strings.substr(words, 0, 3));

        section("Printing: NaN, infinities, tiny and huge values, summarization");
        show("tf.constant([1., nan, inf, -inf])",
                Tf.constant(new float[]{1, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}));
        show("tf.constant([1e-5, 1., 1e5])", Tf.constant(new float[]{1e-5f, 1, 1e5f}));
        show("tf.range(2000)", Tf.range(2000));
        show("tf.reshape(tf.range(3000.), [30, 100])", Tf.reshape(Tf.range(0f, 3000f), 30, 100));
    }

    private static void section(String title) {
        System.out.println();
        System.out.println("==== " + title);
    }

    /** Prints like the Python REPL echoing a tensor: {@code <tf.Tensor: shape=..., dtype=..., numpy=...>}. */
    private static void repl(String expression, Tensor value) {
        System.out.println(">>> " + expression);
        System.out.println(TensorFormatter.repr(value.buffer()));
    }

    /** Prints like a Python print() line: the expression, then each value as TensorFlow prints it. */
    private static void show(String expression, Object... values) {
        System.out.println(">>> " + expression);
        for (Object v : values) System.out.println(v);
    }
}
