package dev.tfjit.passes;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ElementwiseOps;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Local rewrites that make a graph simpler without changing any result, bit for bit.
 *
 * <ul>
 * <li>{@code x*1}, {@code 1*x}, {@code x/1}: for every dtype ({@code x*1.0} is exact for floats,
 * NaN and signed zeros included).
 * <li>{@code x+0}, {@code 0+x}, {@code x-0}: for integers; for floats only {@code x + (-0.0)} and
 * {@code x - (+0.0)}, because {@code -0.0 + 0.0 = +0.0}.
 * <li>{@code neg(neg x)}, {@code cast} to the same dtype, {@code identity}.
 * <li>{@code transpose(transpose x)} composes into one transpose, dropped when the permutation is
 * the identity; {@code reshape(reshape x)} reshapes {@code x} once; a reshape to the shape {@code x}
 * already has (fully known) is dropped.
 * <li>{@code shape}, {@code size}, {@code rank} of a value whose static shape answers them become
 * constants.
 * </ul>
 * A rewrite applies only when the result keeps its dtype and static shape: the constant operand
 * must not broadcast {@code x} to a larger shape (with unknown dims, it must be provably not).
 *
 * <p>Flush-to-zero: the reference float kernels read a subnormal input as zero (TensorFlow's
 * FTZ/DAZ), so for a subnormal {@code x} that comes straight from an argument {@code x*1} gives 0
 * where {@code x} gives the subnormal. Like XLA, the simplifier treats these identities as exact;
 * a subnormal can only reach them from outside the graph, never from a flushing kernel.
 */
public final class AlgebraicSimplifier implements Pass {
    @Override
    public String name() { return "simplify"; }

    @Override
    public Graph run(Graph graph) { return new Simplifier().rewrite(graph); }

    /** What a rule turns a node into. */
    private sealed interface Rewrite {
        /** The node's single output is replaced by an existing value. */
        record UseValue(Value value) implements Rewrite {}

        /** The node is replaced by another node defining the same outputs. */
        record UseNode(Node node) implements Rewrite {}
    }

    private static final class Simplifier extends BlockRewriter {
        private final Map<Value, Node> definitions = new IdentityHashMap<>();

        @Override
        protected void visit(Node original, List<Node> out) {
            Node n = rebuilt(original);
            Rewrite r = n.outputs().size() == 1 ? simplify(n) : null;
            switch (r) {
                case null -> emit(n, out);
                case Rewrite.UseValue u -> replace(n.output(), u.value());
                case Rewrite.UseNode u -> {
                    emit(u.node(), out);
                    markChanged();
                }
            }
        }

        private void emit(Node n, List<Node> out) {
            for (Value v : n.outputs()) definitions.put(v, n);
            out.add(n);
        }

        private Rewrite simplify(Node n) {
            List<Value> in = n.inputs();
            Value out = n.output();
            if (n.op() == ElementwiseOps.MUL) return either(n, in.get(0), in.get(1), Constants::isOne);
            if (n.op() == ElementwiseOps.DIV) return keep(n, in.get(0), in.get(1), Constants::isOne);
            if (n.op() == ElementwiseOps.ADD) return either(n, in.get(0), in.get(1), AlgebraicSimplifier::isAddIdentity);
            if (n.op() == ElementwiseOps.SUB) return keep(n, in.get(0), in.get(1), AlgebraicSimplifier::isSubIdentity);
            if (n.op() == ElementwiseOps.NEG) {
                Node inner = definitions.get(in.get(0));
                return inner != null && inner.op() == ElementwiseOps.NEG ? use(inner.inputs().get(0), out) : null;
            }
            if (n.op() == ElementwiseOps.CAST) return in.get(0).dtype() == n.attrs().getDType("dtype") ? use(in.get(0), out) : null;
            if (OptionalOps.is(n.op(), OptionalOps.IDENTITY)) return use(in.get(0), out);
            if (OptionalOps.is(n.op(), OptionalOps.TRANSPOSE)) return transpose(n);
            if (OptionalOps.is(n.op(), OptionalOps.RESHAPE)) return reshape(n);
            if (OptionalOps.is(n.op(), OptionalOps.SHAPE) || OptionalOps.is(n.op(), OptionalOps.SIZE)
                    || OptionalOps.is(n.op(), OptionalOps.RANK)) {
                return staticShapeQuery(n);
            }
            return null;
        }

        /** {@code x op c} or {@code c op x} is {@code x} when {@code c} is a neutral constant. */
        private Rewrite either(Node n, Value a, Value b, java.util.function.Predicate<Buffer> neutral) {
            Rewrite r = keep(n, a, b, neutral);
            return r != null ? r : keep(n, b, a, neutral);
        }

        /** {@code x op c} is {@code x} when {@code c} is a neutral constant that does not widen {@code x}. */
        private Rewrite keep(Node n, Value x, Value c, java.util.function.Predicate<Buffer> neutral) {
            Node def = definitions.get(c);
            Buffer value = def == null ? null : Constants.valueOf(def);
            if (value == null || !neutral.test(value) || !cannotWiden(c.shape(), x.shape())) return null;
            return use(x, n.output());
        }

        /** Replaces {@code out} by {@code x} only when the static types agree exactly. */
        private static Rewrite use(Value x, Value out) {
            return x.type().equals(out.type()) ? new Rewrite.UseValue(x) : null;
        }

        private Rewrite transpose(Node n) {
            long[] outer = permutation(n);
            if (outer == null) return null;
            Value x = n.inputs().get(0);
            if (isIdentity(outer)) return use(x, n.output());
            Node def = definitions.get(x);
            long[] inner = def != null && def.op() == n.op() ? permutation(def) : null;
            if (inner == null) return null;
            // out[i] = mid[outer[i]] and mid[j] = x[inner[j]], so out[i] = x[inner[outer[i]]].
            long[] composed = new long[outer.length];
            for (int i = 0; i < outer.length; i++) composed[i] = inner[(int) outer[i]];
            Value source = def.inputs().get(0);
            if (isIdentity(composed)) return use(source, n.output());
            return new Rewrite.UseNode(new Node(n.op(), List.of(source), n.attrs().with("perm", composed),
                    List.of(), n.outputs(), n.location()));
        }

        /** The permutation of a transpose given as the {@code perm} attribute or by default (reversal), else null. */
        private static long[] permutation(Node t) {
            if (t.inputs().size() != 1) return null; // a perm given as a tensor is not rewritten
            if (t.attrs().has("perm")) return t.attrs().getLongs("perm");
            if (!t.attrs().isEmpty() || !t.inputs().get(0).shape().hasRank()) return null;
            int r = t.inputs().get(0).shape().rank();
            long[] p = new long[r];
            for (int i = 0; i < r; i++) p[i] = r - 1 - i;
            return p;
        }

        private static boolean isIdentity(long[] perm) {
            for (int i = 0; i < perm.length; i++) if (perm[i] != i) return false;
            return true;
        }

        private Rewrite reshape(Node n) {
            Value x = n.inputs().get(0);
            if (x.shape().isFullyKnown() && x.type().equals(n.output().type())) return new Rewrite.UseValue(x);
            Node def = definitions.get(x);
            if (def == null || def.op() != n.op()) return null;
            // Reshaping keeps the row-major element order, so only the last target shape matters.
            Value source = def.inputs().get(0);
            if (source.shape().isFullyKnown() && source.type().equals(n.output().type())) return new Rewrite.UseValue(source);
            List<Value> inputs = new ArrayList<>(n.inputs());
            inputs.set(0, def.inputs().get(0));
            return new Rewrite.UseNode(new Node(n.op(), inputs, n.attrs(), List.of(), n.outputs(), n.location()));
        }

        private Rewrite staticShapeQuery(Node n) {
            Shape s = n.inputs().get(0).shape();
            Value out = n.output();
            if (!out.dtype().isInteger() || !out.shape().isFullyKnown()) return null;
            long[] answer;
            if (OptionalOps.is(n.op(), OptionalOps.RANK)) {
                if (!s.hasRank()) return null;
                answer = new long[] {s.rank()};
            } else if (!s.isFullyKnown()) {
                return null;
            } else if (OptionalOps.is(n.op(), OptionalOps.SIZE)) {
                answer = new long[] {s.numElements()};
            } else {
                int[] dims = s.dims();
                answer = new long[dims.length];
                for (int i = 0; i < dims.length; i++) answer[i] = dims[i];
            }
            if (out.shape().numElements() != answer.length) return null;
            Buffer b = Buffer.allocate(out.dtype(), out.shape());
            for (int i = 0; i < answer.length; i++) {
                if (out.dtype() == DType.INT32 && answer[i] > Integer.MAX_VALUE) return null; // leave the overflow to the kernel
                b.setLong(i, answer[i]);
            }
            return new Rewrite.UseNode(Constants.define(out, b, n.location()));
        }
    }

    /** {@code x + c == x} for every x: integer zeros, and float {@code -0.0} (since {@code -0.0 + 0.0 = +0.0}). */
    static boolean isAddIdentity(Buffer c) {
        return c.dtype().isInteger() ? Constants.allEqual(c, 0) : c.dtype().isFloating() && Constants.allEqual(c, -0.0);
    }

    /** {@code x - c == x} for every x: integer zeros, and float {@code +0.0} ({@code -0.0 - 0.0 = -0.0}). */
    static boolean isSubIdentity(Buffer c) {
        return c.dtype().isInteger() ? Constants.allEqual(c, 0) : c.dtype().isFloating() && Constants.allEqual(c, 0.0);
    }

    /**
     * True when broadcasting {@code c} against {@code x} provably yields {@code x}'s shape: every
     * dim of {@code c} (aligned from the right) is 1 or equals a known dim of {@code x}.
     */
    static boolean cannotWiden(Shape c, Shape x) {
        if (!c.hasRank() || !x.hasRank() || c.rank() > x.rank()) return false;
        int offset = x.rank() - c.rank();
        for (int i = 0; i < c.rank(); i++) {
            int cd = c.dim(i), xd = x.dim(offset + i);
            if (cd != 1 && (cd == Shape.UNKNOWN || cd != xd)) return false;
        }
        return true;
    }
}
