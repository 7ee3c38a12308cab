package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.GradientRule;
import dev.tfjit.ir.OpCatalog;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every op with a gradient rule, checked against central finite differences in float64: the
 * loss is {@code sum(w * op(inputs))} with fixed random weights w, its tape gradient must match
 * {@code (loss(x + eps) - loss(x - eps)) / 2eps} for every element of every differentiable
 * input, eagerly and inside a traced Function.
 */
class GradientCheckTest {
    private static final Random RANDOM = new Random(42);

    /**
     * One application of an op. {@code checked} lists the inputs whose gradients are compared
     * (null: every float input); {@code lossOutputs} the outputs the loss uses (null: every float one).
     */
    record Case(String op, Attrs attrs, List<Tensor> inputs, int[] checked, int[] lossOutputs, double eps, double tol) {
        Case checking(int... inputs) { return new Case(op, attrs, this.inputs, inputs, lossOutputs, eps, tol); }

        Case usingOutputs(int... outputs) { return new Case(op, attrs, inputs, checked, outputs, eps, tol); }

        Case tolerance(double newEps, double newTol) { return new Case(op, attrs, inputs, checked, lossOutputs, newEps, newTol); }

        @Override
        public String toString() { return op + " " + attrs + " on " + inputs.stream().map(t -> t.type().toString()).toList(); }
    }

    static Case c(String op, Attrs attrs, Tensor... inputs) { return new Case(op, attrs, List.of(inputs), null, null, 1e-6, 1e-6); }

    static Case c(String op, Tensor... inputs) { return c(op, Attrs.EMPTY, inputs); }

    /** Uniform in [-1, 1]. */
    static Tensor r(int... shape) { return fill(shape, () -> RANDOM.nextDouble() * 2 - 1); }

    /** In [-1, -0.2] or [0.2, 1]: away from kinks at 0. */
    static Tensor away(int... shape) {
        return fill(shape, () -> (0.2 + 0.8 * RANDOM.nextDouble()) * (RANDOM.nextBoolean() ? 1 : -1));
    }

    /** In [0.5, 2]. */
    static Tensor pos(int... shape) { return fill(shape, () -> 0.5 + 1.5 * RANDOM.nextDouble()); }

    static Tensor fill(int[] shape, java.util.function.DoubleSupplier next) {
        Buffer b = Buffer.allocate(DType.FLOAT64, Shape.of(shape));
        for (long i = 0; i < b.size(); i++) b.setDouble(i, next.getAsDouble());
        return Tensor.of(b);
    }

    static Tensor ints(int[] shape, int... v) { return Tensor.of(Buffer.ofInts(Shape.of(shape), v)); }

    static Attrs a(Object... kv) { return Attrs.of(kv); }

    static Attrs sliceAttrs(String index) { return Slice.lower(Slice.parse(index)).toAttrs(); }

    static List<Case> cases() {
        List<Case> l = new ArrayList<>();
        // elementwise, with broadcasting both ways
        l.add(c("add", r(2, 3), r(3)));
        l.add(c("add", r(2, 1), r(1, 3)));
        l.add(c("sub", r(3), r(2, 3)));
        l.add(c("mul", r(2, 3), r(2, 1)));
        l.add(c("mul", r(), r(2, 2)));
        l.add(c("div", r(2, 3), away(3)));
        l.add(c("div_no_nan", r(2, 3), away(2, 1)));
        l.add(c("add_n", r(2, 3), r(2, 3), r(2, 3)));
        l.add(c("floor_mod", pos(2, 3), Tensor.of(Buffer.scalar(DType.FLOAT64, 3))));
        l.add(c("pow", pos(2, 3), r(3)));
        l.add(c("maximum", r(2, 3), r(3)));
        l.add(c("minimum", r(2, 3), r(2, 1)));
        l.add(c("squared_difference", r(2, 3), r(3)));
        for (String u : List.of("neg", "square", "exp", "expm1", "sin", "cos", "erf", "sigmoid", "tanh", "softplus", "softsign")) {
            l.add(c(u, r(2, 3)));
        }
        for (String u : List.of("abs", "sign", "reciprocal", "relu", "elu", "selu")) l.add(c(u, away(2, 3)));
        for (String u : List.of("sqrt", "rsqrt", "log", "log1p")) l.add(c(u, pos(2, 3)));
        l.add(c("relu6", fill(new int[] {2, 3}, () -> (0.5 + RANDOM.nextDouble()) * (RANDOM.nextBoolean() ? 4 : -4))));
        l.add(c("leaky_relu", a("alpha", 0.2), away(2, 3)));
        l.add(c("cast", a("dtype", DType.FLOAT32), r(2, 3)).tolerance(1e-2, 1e-4));
        l.add(c("cast", a("dtype", DType.FLOAT64), r(2, 3)));
        // reductions and scans
        l.add(c("reduce_sum", a("axis", new int[] {1}), r(2, 3, 4)));
        l.add(c("reduce_sum", a("axis", new int[] {0, 2}, "keepdims", true), r(2, 3, 4)));
        l.add(c("reduce_sum", r(2, 3)));
        l.add(c("reduce_mean", a("axis", new int[] {-1}), r(2, 3)));
        l.add(c("reduce_mean", r(2, 3)));
        l.add(c("reduce_max", a("axis", new int[] {1}), r(2, 3)));
        l.add(c("reduce_min", a("keepdims", true), r(2, 3)));
        l.add(c("reduce_prod", a("axis", new int[] {1}), r(2, 3)));
        l.add(c("reduce_prod", a("axis", new int[] {0}), Tf.constant(new double[][] {{0, 2, 0.5}, {3, 0, -1}})));
        l.add(c("reduce_prod", r(2, 2)));
        l.add(c("sum_to_shape", a("shape", Shape.of(1, 3)), r(2, 3), ints(new int[] {2}, 1, 3)).checking(0));
        l.add(c("cumsum", a("axis", 1), r(2, 3)));
        l.add(c("cumsum", a("axis", 0, "exclusive", true, "reverse", true), r(3, 2)));
        l.add(c("cumprod", a("axis", 1), away(2, 3)));
        l.add(c("cumprod", a("axis", 1, "exclusive", true, "reverse", true), away(2, 3)));
        // shapes and data movement
        l.add(c("identity", r(2, 3)));
        l.add(c("reshape", a("shape", new int[] {3, 2}), r(2, 3)));
        l.add(c("reshape", r(2, 3), ints(new int[] {1}, 6)).checking(0));
        l.add(c("expand_dims", a("axis", -1), r(2, 3)));
        l.add(c("squeeze", a("axis", new int[] {1}), r(2, 1, 3)));
        l.add(c("transpose", a("perm", new int[] {2, 0, 1}), r(2, 3, 4)));
        l.add(c("transpose", r(2, 3)));
        l.add(c("tile", a("multiples", new int[] {2, 3}), r(2, 2)));
        l.add(c("broadcast_to", a("shape", new int[] {2, 3}), r(3)));
        l.add(c("broadcast_to", a("shape", new int[] {2, 2, 3}), r(2, 1, 1)));
        l.add(c("reverse", a("axis", new int[] {1}), r(2, 3)));
        l.add(c("reverse", a("axis", new int[] {0, -1}), r(2, 3)));
        l.add(c("concat", a("axis", 1), r(2, 3), r(2, 2)));
        l.add(c("concat", a("axis", 0), r(1, 2), r(2, 2), r(1, 2)));
        l.add(c("stack", a("axis", 1), r(2, 3), r(2, 3)));
        l.add(c("unstack", a("axis", 1), r(3, 2)));
        l.add(c("split", a("axis", 0, "num_split", 2), r(4, 2)));
        l.add(c("split_v", a("axis", 1, "size_splits", new int[] {2, -1}), r(2, 5)));
        l.add(c("slice", a("begin", new int[] {1, 0}, "size", new int[] {2, 3}), r(3, 4)));
        l.add(c("strided_slice", sliceAttrs("1:, ::-2"), r(3, 4)));
        l.add(c("strided_slice", sliceAttrs("..., 1, tf.newaxis"), r(2, 3)));
        l.add(c("tensor_strided_slice_update", sliceAttrs("1:, ::2"), r(3, 4), r(2, 2)));
        l.add(c("gather", a("axis", 0), r(4, 3), ints(new int[] {2, 2}, 0, 2, 2, 3)).checking(0));
        l.add(c("gather", a("axis", 1), r(2, 4), ints(new int[] {3}, 1, 1, 3)).checking(0));
        l.add(c("gather_nd", r(3, 2), ints(new int[] {3, 1}, 0, 2, 0)).checking(0));
        l.add(c("scatter_nd", a("shape", new int[] {4, 2}), ints(new int[] {2, 1}, 1, 3), r(2, 2)).checking(1));
        l.add(c("tensor_scatter_nd_update", r(4, 2), ints(new int[] {2, 1}, 1, 3), r(2, 2)).checking(0, 2));
        l.add(c("select", Tf.constant(new boolean[][] {{true, false, true}, {false, false, true}}), r(2, 3), r(3)).checking(1, 2));
        l.add(c("pad", a("paddings", new int[] {1, 0, 2, 1}), r(2, 3), Tensor.of(Buffer.scalar(DType.FLOAT64, 0.5))).checking(0));
        l.add(c("mirror_pad", a("paddings", new int[] {1, 2, 2, 1}, "mode", "REFLECT"), r(3, 4)));
        l.add(c("mirror_pad", a("paddings", new int[] {2, 1, 0, 3}, "mode", "SYMMETRIC"), r(3, 4)));
        l.add(c("fill", a("shape", new int[] {2, 3}), r()));
        // linear algebra and nn
        l.add(c("matmul", r(2, 3), r(3, 4)));
        l.add(c("matmul", a("transpose_a", true), r(3, 2), r(3, 4)));
        l.add(c("matmul", a("transpose_b", true), r(2, 3), r(4, 3)));
        l.add(c("matmul", a("transpose_a", true, "transpose_b", true), r(3, 2), r(4, 3)));
        l.add(c("matmul", r(2, 2, 3), r(3, 4)));
        l.add(c("matmul", r(2, 1, 2, 3), r(3, 3, 2)));
        l.add(c("top_k", a("k", 2, "sorted", true), r(2, 5)));
        l.add(c("softmax", r(2, 3)));
        l.add(c("log_softmax", r(2, 3)));
        l.add(c("l2_loss", r(2, 3)));
        // Labels are distributions: the kernel's backprop (softmax - labels) assumes rows that sum to 1, as TF's does.
        l.add(c("softmax_cross_entropy_with_logits", r(2, 3), Tf.softmax(r(2, 3))).usingOutputs(0));
        l.add(c("sparse_softmax_cross_entropy_with_logits", r(2, 3), ints(new int[] {2}, 0, 2)).usingOutputs(0).checking(0));
        // convolution and pooling: strided SAME (padding after), dilated VALID; the backprop ops are linear in their last two inputs
        Attrs conv = a("strides", new int[] {1, 2, 1, 1}, "padding", "SAME", "dilations", new int[] {1, 1, 1, 1});
        Attrs dilated = a("strides", new int[] {1, 1, 1, 1}, "padding", "VALID", "dilations", new int[] {1, 2, 1, 1});
        l.add(c("conv2d", conv, r(2, 5, 4, 2), r(3, 2, 2, 3)));
        l.add(c("conv2d", dilated, r(1, 6, 5, 2), r(2, 2, 2, 2)));
        l.add(c("conv2d_backprop_input", conv, r(2, 5, 4, 2), r(3, 2, 2, 3), r(2, 3, 4, 3)).checking(1, 2));
        l.add(c("conv2d_backprop_filter", dilated, r(1, 6, 5, 2), r(2, 2, 2, 2), r(1, 4, 4, 2)).checking(0, 2));
        Attrs pool = a("ksize", new int[] {1, 3, 3, 1}, "strides", new int[] {1, 2, 2, 1}, "padding", "SAME");
        l.add(c("max_pool", pool, r(2, 5, 5, 2)));
        l.add(c("max_pool", a("ksize", new int[] {1, 2, 2, 1}, "strides", new int[] {1, 2, 2, 1}, "padding", "VALID"), r(1, 4, 5, 3)));
        l.add(c("avg_pool", pool, r(2, 5, 5, 2)));
        l.add(c("avg_pool_grad", pool, r(2, 5, 5, 2), r(2, 3, 3, 2)).checking(1));
        // tensor arrays (the stacks of a staged while's gradient): a read, an overwrite, a write that grows the array
        l.add(c("tensor_array_read", r(3, 2), ints(new int[0], 1)).checking(0));
        l.add(c("tensor_array_write", a("dynamic_size", false), r(3, 2), ints(new int[0], 1), r(2)).checking(0, 2));
        l.add(c("tensor_array_write", a("dynamic_size", true), r(3, 2), ints(new int[0], 4), r(2)).checking(0, 2));
        return l;
    }

    @Test
    void everyOpWithAGradientRuleHasACheckedCase() {
        TreeSet<String> covered = new TreeSet<>();
        for (Case k : cases()) covered.add(k.op());
        TreeSet<String> missing = new TreeSet<>();
        for (OpDef op : OpCatalog.all()) {
            if (op.gradient() != null && op.gradient() != GradientRule.NONE && !covered.contains(op.name())) missing.add(op.name());
        }
        assertEquals(new TreeSet<>(), missing, "ops with a gradient rule but no finite-difference case");
    }

    @Test
    void tapeGradientsMatchCentralFiniteDifferences() {
        List<String> failures = new ArrayList<>();
        for (Case k : cases()) {
            try {
                check(k, analytic(k), "eager");
            } catch (AssertionError | RuntimeException e) {
                failures.add(k + " (eager): " + e);
            }
        }
        if (!failures.isEmpty()) fail(failures.size() + " gradient checks failed:\n" + String.join("\n", failures));
    }

    @Test
    void tracedGradientsMatchTheEagerOnes() {
        List<String> failures = new ArrayList<>();
        for (Case k : cases()) {
            try {
                List<Tensor> eager = analytic(k); // first: it fixes the loss weights as eager constants
                List<Tensor> traced = Function.of(() -> analytic(k)).callAll();
                assertEquals(eager.size(), traced.size());
                for (int i = 0; i < eager.size(); i++) {
                    double[] e = eager.get(i).cast(DType.FLOAT64).toDoubleArray(), t = traced.get(i).cast(DType.FLOAT64).toDoubleArray();
                    for (int j = 0; j < e.length; j++) assertEquals(e[j], t[j], 1e-12, "input " + checkedInputs(k)[i] + " element " + j);
                }
            } catch (AssertionError | RuntimeException e) {
                failures.add(k + " (traced): " + e);
            }
        }
        if (!failures.isEmpty()) fail(failures.size() + " traced gradient checks failed:\n" + String.join("\n", failures));
    }

    private static int[] checkedInputs(Case k) {
        if (k.checked() != null) return k.checked();
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < k.inputs().size(); i++) if (k.inputs().get(i).dtype().isFloating()) l.add(i);
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Weights per output, fixed per case so the loss is the same function in every evaluation. */
    private static final Map<Case, List<Tensor>> WEIGHTS = new LinkedHashMap<>();

    private static Tensor loss(Case k, List<Tensor> inputs) {
        List<Tensor> outs = Tf.apply(OpCatalog.get(k.op()), k.attrs(), inputs.toArray(Tensor[]::new));
        List<Tensor> weights = WEIGHTS.computeIfAbsent(k, key -> {
            List<Tensor> w = new ArrayList<>();
            for (Tensor o : Tf.apply(OpCatalog.get(k.op()), k.attrs(), k.inputs().toArray(Tensor[]::new))) {
                Tensor rw = fill(o.shape().dims(), () -> RANDOM.nextDouble() * 2 - 1);
                w.add(o.dtype().isFloating() ? rw.cast(o.dtype()) : null);
            }
            return w;
        });
        Tensor total = null;
        for (int i = 0; i < outs.size(); i++) {
            if (weights.get(i) == null) continue;
            if (k.lossOutputs() != null && !contains(k.lossOutputs(), i)) continue;
            Tensor term = Tf.reduceSum(outs.get(i).mul(weights.get(i))).cast(DType.FLOAT64);
            total = total == null ? term : total.add(term);
        }
        return total;
    }

    private static boolean contains(int[] a, int v) { return Arrays.stream(a).anyMatch(x -> x == v); }

    private static List<Tensor> analytic(Case k) {
        GradientTape tape = new GradientTape();
        int[] checked = checkedInputs(k);
        for (int i : checked) tape.watch(k.inputs().get(i));
        Tensor loss = loss(k, k.inputs());
        tape.close();
        List<Object> sources = new ArrayList<>();
        for (int i : checked) sources.add(k.inputs().get(i));
        return tape.gradient(List.of(loss), sources, null, UnconnectedGradients.ZERO);
    }

    private static void check(Case k, List<Tensor> grads, String mode) {
        int[] checked = checkedInputs(k);
        for (int n = 0; n < checked.length; n++) {
            int i = checked[n];
            Tensor x = k.inputs().get(i);
            double[] g = grads.get(n).cast(DType.FLOAT64).toDoubleArray();
            assertEquals(x.shape(), grads.get(n).shape(), "gradient shape of input " + i);
            for (int j = 0; j < g.length; j++) {
                double numeric = (perturbed(k, i, j, k.eps()) - perturbed(k, i, j, -k.eps())) / (2 * k.eps());
                double tol = k.tol() * (1 + Math.abs(numeric));
                assertTrue(Math.abs(g[j] - numeric) <= tol,
                        mode + ": d loss / d input " + i + "[" + j + "] is " + g[j] + " but finite differences give " + numeric);
            }
        }
    }

    private static double perturbed(Case k, int input, long element, double delta) {
        List<Tensor> in = new ArrayList<>(k.inputs());
        Buffer b = in.get(input).buffer().copy();
        b.setDouble(element, b.getDouble(element) + delta);
        in.set(input, Tensor.of(b));
        return loss(k, in).item();
    }
}
