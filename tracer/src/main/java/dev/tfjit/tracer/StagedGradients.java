package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Block;
import dev.tfjit.ir.GradientRule;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Operand;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ControlFlowOps;
import dev.tfjit.ir.ops.TensorArrayOps;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Gradients of staged {@code while} and {@code cond} nodes, as graph transformations emitted
 * into the trace that asks for them. A region's values exist only inside it, so the backward
 * pass recomputes them: the gradient of a region is its forward nodes replayed followed by their
 * gradient rules in reverse (a region's own while/cond nested inside are handled recursively).
 *
 * <ul>
 * <li>{@code cond}: a cond on the same predicate whose branches are the gradients of the forward
 * branches; each yields one gradient per differentiated operand or captured value (zeros where
 * its branch does not use it).
 * <li>{@code while}: TensorFlow's scheme. A copy of the loop runs forward once more, counting
 * iterations and pushing each iteration's loop vars onto dynamically sized stacks (tensor
 * arrays); a backward loop then runs the trip count down, pops the loop vars of its iteration,
 * replays the body from them and applies its gradient, carrying the loop vars' gradients and
 * accumulating the captured values'. So a data-dependent trip count works like a fixed one.
 * </ul>
 * Replaying a body must give the values the forward pass saw, so a region with a random op, or
 * a side-effect op whose value is used, is refused with an error naming the op.
 */
final class StagedGradients {
    private StagedGradients() {}

    /** Gradients of a structured node: per input position, and per captured value. */
    record Grads(List<Tensor> inputs, Map<Value, Tensor> captures) {
        static Grads none(Node n) { return new Grads(new ArrayList<>(Collections.nCopies(n.inputs().size(), null)), new IdentityHashMap<>()); }
    }

    /**
     * The values the node's regions use (at any depth) that are defined outside the node, in
     * order of first use: what the regions capture from enclosing blocks.
     */
    static List<Value> captures(Node n) {
        Set<Value> inside = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Value> used = new LinkedHashSet<>();
        for (Block r : n.regions()) collect(r, inside, used);
        List<Value> out = new ArrayList<>();
        for (Value v : used) if (!inside.contains(v)) out.add(v);
        return out;
    }

    private static void collect(Block b, Set<Value> inside, Set<Value> used) {
        inside.addAll(b.params());
        for (Node n : b.nodes()) {
            used.addAll(n.inputs());
            for (Block r : n.regions()) collect(r, inside, used);
            inside.addAll(n.outputs());
        }
        used.addAll(b.results());
    }

    /**
     * The gradient rule of a tape entry for {@code node}, whose entry inputs are the node's
     * inputs followed by {@code captures}. Gradients are computed only for floating inputs the
     * tape has {@code connected} to its sources.
     */
    static GradientRule rule(Node node, List<Value> captures, Predicate<Tensor> connected) {
        return (g, call) -> {
            List<Tensor> in = unwrap(call.inputs());
            List<Value> values = new ArrayList<>(node.inputs());
            values.addAll(captures);
            Map<Value, Tensor> env = new IdentityHashMap<>();
            Set<Value> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int i = 0; i < values.size(); i++) {
                env.put(values.get(i), in.get(i));
                if (values.get(i).dtype().isFloating() && connected.test(in.get(i))) wanted.add(values.get(i));
            }
            Grads grads = gradient(node, env, unwrap(call.outputGrads()), wanted);
            List<Operand> out = new ArrayList<>(values.size());
            for (Tensor t : grads.inputs()) out.add(t == null ? null : new TensorOperand(t));
            for (Value c : captures) {
                Tensor t = grads.captures().get(c);
                out.add(t == null ? null : new TensorOperand(t));
            }
            return out;
        };
    }

    /** Dispatches on the node's op; {@code env} holds the forward value of every value the node uses. */
    static Grads gradient(Node n, Map<Value, Tensor> env, List<Tensor> dys, Set<Value> wanted) {
        return n.op() == ControlFlowOps.COND ? condGradient(n, env, dys, wanted) : whileGradient(n, env, dys, wanted);
    }

    // ------------------------------------------------------------ cond

    private static Grads condGradient(Node n, Map<Value, Tensor> env, List<Tensor> dys, Set<Value> wanted) {
        List<Value> operands = n.inputs().subList(1, n.inputs().size());
        List<Integer> operandTargets = new ArrayList<>();
        for (int j = 0; j < operands.size(); j++) if (wanted.contains(operands.get(j))) operandTargets.add(j);
        List<Value> captureTargets = captures(n).stream().filter(wanted::contains).toList();
        Grads result = Grads.none(n);
        if (operandTargets.isEmpty() && captureTargets.isEmpty()) return result;
        List<Tensor> out = Tf.condAll(env.get(n.inputs().get(0)),
                () -> branchGradient(n.regions().get(0), operands, operandTargets, captureTargets, env, dys),
                () -> branchGradient(n.regions().get(1), operands, operandTargets, captureTargets, env, dys));
        for (int k = 0; k < operandTargets.size(); k++) result.inputs().set(1 + operandTargets.get(k), out.get(k));
        for (int k = 0; k < captureTargets.size(); k++) result.captures().put(captureTargets.get(k), out.get(operandTargets.size() + k));
        return result;
    }

    private static List<Tensor> branchGradient(Block r, List<Value> operands, List<Integer> operandTargets,
                                               List<Value> captureTargets, Map<Value, Tensor> outer, List<Tensor> dys) {
        Map<Value, Tensor> env = new IdentityHashMap<>(outer);
        for (int j = 0; j < operands.size(); j++) env.put(r.params().get(j), outer.get(operands.get(j)));
        replay(r, env);
        Set<Value> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int j : operandTargets) wanted.add(r.params().get(j));
        wanted.addAll(captureTargets);
        Map<Value, Tensor> grads = blockGradient(r, env, dys, wanted);
        List<Tensor> out = new ArrayList<>();
        for (int j : operandTargets) out.add(orZeros(grads.get(r.params().get(j)), env.get(r.params().get(j))));
        for (Value c : captureTargets) out.add(orZeros(grads.get(c), outer.get(c)));
        return out;
    }

    // ------------------------------------------------------------ while

    private static Grads whileGradient(Node n, Map<Value, Tensor> env, List<Tensor> dys, Set<Value> wanted) {
        int nv = n.inputs().size();
        Block body = n.regions().get(1);
        List<Value> wantedCaptures = captures(n).stream().filter(wanted::contains).toList();
        // A loop var carries gradient if its initial value is wanted, or if the body makes it depend on something that is.
        boolean[] live = new boolean[nv];
        for (int j = 0; j < nv; j++) live[j] = wanted.contains(n.inputs().get(j));
        for (boolean changed = true; changed; ) {
            Set<Value> seed = Collections.newSetFromMap(new IdentityHashMap<>());
            seed.addAll(wantedCaptures);
            for (int j = 0; j < nv; j++) if (live[j]) seed.add(body.params().get(j));
            Set<Value> reach = reach(body, seed);
            changed = false;
            for (int j = 0; j < nv; j++) {
                if (!live[j] && body.params().get(j).dtype().isFloating() && reach.contains(body.results().get(j))) live[j] = changed = true;
            }
        }
        Grads result = Grads.none(n);
        List<Integer> liveVars = new ArrayList<>();
        for (int j = 0; j < nv; j++) if (live[j]) liveVars.add(j);
        if (liveVars.isEmpty()) return result; // no gradient reaches the loop's outputs from anything wanted
        for (int j = 0; j < nv; j++) {
            Node producer = producerIn(body, body.results().get(j));
            if (producer != null && producer.op() == TensorArrayOps.TENSOR_ARRAY_WRITE && producer.attrs().getBool("dynamic_size", false)) {
                throw new UnimplementedError("the gradient of a staged while stacks each iteration's loop vars, but loop var " + j
                        + " is a dynamically sized TensorArray that grows every iteration (this is also what a second derivative through"
                        + " a staged while would need); give the TensorArray a fixed size").in("while", n.location());
            }
        }
        for (Value p : body.params()) {
            if (!p.shape().hasRank()) {
                throw new UnimplementedError("the gradient of a staged while needs every loop var's rank, but one has shape " + p.shape()
                        + "; give it a shape invariant with a known rank").in("while", n.location());
            }
        }
        List<Tensor> stacks = forwardWithStacks(n, env);
        Tensor trips = stacks.remove(0);

        List<Tensor> init = new ArrayList<>();
        List<Shape> invariants = new ArrayList<>();
        init.add(Tf.subtract(trips, Tf.constant(1)));
        invariants.add(Shape.SCALAR);
        for (int j : liveVars) {
            init.add(dys.get(j));
            invariants.add(body.params().get(j).shape());
        }
        for (Value c : wantedCaptures) {
            init.add(Tf.zerosLike(env.get(c)));
            invariants.add(c.shape());
        }
        List<Tensor> out = Tf.whileLoop(vars -> Tf.greaterEqual(vars.get(0), Tf.constant(0)), vars -> {
            Tensor t = vars.get(0);
            Map<Value, Tensor> inner = new IdentityHashMap<>(env);
            for (int j = 0; j < nv; j++) inner.put(body.params().get(j), Tf.apply1(TensorArrayOps.TENSOR_ARRAY_READ, Attrs.EMPTY, stacks.get(j), t));
            replay(body, inner);
            List<Tensor> resultGrads = new ArrayList<>(Collections.nCopies(nv, null));
            Set<Value> targets = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int k = 0; k < liveVars.size(); k++) {
                resultGrads.set(liveVars.get(k), vars.get(1 + k));
                targets.add(body.params().get(liveVars.get(k)));
            }
            targets.addAll(wantedCaptures);
            Map<Value, Tensor> grads = blockGradient(body, inner, resultGrads, targets);
            List<Tensor> next = new ArrayList<>();
            next.add(Tf.subtract(t, Tf.constant(1)));
            for (int j : liveVars) next.add(orZeros(grads.get(body.params().get(j)), inner.get(body.params().get(j))));
            for (int k = 0; k < wantedCaptures.size(); k++) {
                Tensor sum = vars.get(1 + liveVars.size() + k), g = grads.get(wantedCaptures.get(k));
                next.add(g == null ? sum : Tf.add(sum, g));
            }
            return next;
        }, init, invariants);
        for (int k = 0; k < liveVars.size(); k++) result.inputs().set(liveVars.get(k), out.get(1 + k));
        for (int k = 0; k < wantedCaptures.size(); k++) result.captures().put(wantedCaptures.get(k), out.get(1 + liveVars.size() + k));
        return result;
    }

    /**
     * The loop once more, forward, pushing each iteration's loop vars onto a stack per var:
     * returns the trip count followed by the stacks ({@code [trips, var shape...]}).
     */
    private static List<Tensor> forwardWithStacks(Node n, Map<Value, Tensor> env) {
        int nv = n.inputs().size();
        Block cond = n.regions().get(0), body = n.regions().get(1);
        List<Tensor> init = new ArrayList<>();
        List<Shape> invariants = new ArrayList<>();
        init.add(Tf.constant(0));
        invariants.add(Shape.SCALAR);
        for (int j = 0; j < nv; j++) {
            init.add(env.get(n.inputs().get(j)));
            invariants.add(body.params().get(j).shape());
        }
        for (int j = 0; j < nv; j++) {
            Tensor v = env.get(n.inputs().get(j));
            Shape element = body.params().get(j).shape();
            int[] multiples = new int[element.rank() + 1];
            java.util.Arrays.fill(multiples, 1);
            multiples[0] = 0;
            init.add(Tf.tile(Tf.expandDims(Tf.zerosLike(v), 0), multiples));
            int[] dims = new int[element.rank() + 1];
            dims[0] = Shape.UNKNOWN;
            System.arraycopy(element.dims(), 0, dims, 1, element.rank());
            invariants.add(Shape.of(dims));
        }
        List<Tensor> out = Tf.whileLoop(vars -> {
            Map<Value, Tensor> inner = new IdentityHashMap<>(env);
            for (int j = 0; j < nv; j++) inner.put(cond.params().get(j), vars.get(1 + j));
            replay(cond, inner);
            return inner.get(cond.results().get(0));
        }, vars -> {
            Tensor count = vars.get(0);
            Map<Value, Tensor> inner = new IdentityHashMap<>(env);
            for (int j = 0; j < nv; j++) inner.put(body.params().get(j), vars.get(1 + j));
            replay(body, inner);
            List<Tensor> next = new ArrayList<>();
            next.add(Tf.add(count, Tf.constant(1)));
            for (Value r : body.results()) next.add(inner.get(r));
            for (int j = 0; j < nv; j++) {
                next.add(Tf.apply1(TensorArrayOps.TENSOR_ARRAY_WRITE, Attrs.of("dynamic_size", true), vars.get(1 + nv + j), count, vars.get(1 + j)));
            }
            return next;
        }, init, invariants);
        List<Tensor> result = new ArrayList<>();
        result.add(out.get(0));
        result.addAll(out.subList(1 + nv, 1 + 2 * nv));
        return result;
    }

    // ------------------------------------------------------------ blocks

    /**
     * Emits a block's nodes again, reading the forward values in {@code env} and adding the
     * values they define to it.
     */
    static void replay(Block b, Map<Value, Tensor> env) {
        for (Node n : b.nodes()) {
            OpDef op = n.op();
            if (op.effect() == OpDef.Effect.SIDE_EFFECT && n.outputs().isEmpty()) continue; // its effect happened in the forward pass
            if (!op.isPure()) {
                throw new UnimplementedError("the gradient of a staged while/cond recomputes its body, which has the "
                        + op.effect().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " op '" + op.name()
                        + "' whose recomputed value would differ; compute it outside the loop or branch").in(op.name(), n.location());
            }
            List<Tensor> in = new ArrayList<>(n.inputs().size());
            for (Value v : n.inputs()) in.add(forward(env, v));
            List<Tensor> out;
            if (op == ControlFlowOps.COND) {
                out = Tf.condAll(in.get(0), () -> replayRegion(n.regions().get(0), in.subList(1, in.size()), env),
                        () -> replayRegion(n.regions().get(1), in.subList(1, in.size()), env));
            } else if (op == ControlFlowOps.WHILE) {
                List<Shape> invariants = n.regions().get(1).params().stream().map(Value::shape).toList();
                out = Tf.whileLoop(vars -> replayRegion(n.regions().get(0), vars, env).get(0),
                        vars -> replayRegion(n.regions().get(1), vars, env), in, invariants);
            } else {
                out = Tf.apply(op, n.attrs(), in.toArray(Tensor[]::new));
            }
            for (int i = 0; i < out.size(); i++) env.put(n.outputs().get(i), out.get(i));
        }
    }

    private static List<Tensor> replayRegion(Block r, List<Tensor> args, Map<Value, Tensor> outer) {
        Map<Value, Tensor> env = new IdentityHashMap<>(outer);
        for (int j = 0; j < args.size(); j++) env.put(r.params().get(j), args.get(j));
        replay(r, env);
        List<Tensor> results = new ArrayList<>();
        for (Value v : r.results()) results.add(forward(env, v));
        return results;
    }

    private static Tensor forward(Map<Value, Tensor> env, Value v) {
        Tensor t = env.get(v);
        if (t == null) throw new IllegalStateException("no forward value for " + v + " while differentiating a staged region");
        return t;
    }

    /** The floating values of {@code b} that depend on {@code seed}. */
    private static Set<Value> reach(Block b, Set<Value> seed) {
        Set<Value> reach = Collections.newSetFromMap(new IdentityHashMap<>());
        reach.addAll(seed);
        for (Node n : b.nodes()) {
            if (touches(n, reach)) for (Value o : n.outputs()) if (o.dtype().isFloating()) reach.add(o);
        }
        return reach;
    }

    private static boolean touches(Node n, Set<Value> reach) {
        for (Value v : n.inputs()) if (reach.contains(v)) return true;
        if (!n.regions().isEmpty()) for (Value v : captures(n)) if (reach.contains(v)) return true;
        return false;
    }

    /**
     * Reverse mode over a replayed block: the gradients of {@code wanted} values (its params,
     * captured values) given the gradients of its results (null: none).
     */
    static Map<Value, Tensor> blockGradient(Block b, Map<Value, Tensor> env, List<Tensor> resultGrads, Set<Value> wanted) {
        Set<Value> reach = reach(b, wanted);
        Map<Value, Tensor> grads = new IdentityHashMap<>();
        for (int i = 0; i < b.results().size(); i++) {
            Value r = b.results().get(i);
            Tensor g = resultGrads.get(i);
            if (g != null && r.dtype().isFloating() && reach.contains(r)) grads.merge(r, g, Tf::add);
        }
        List<Node> nodes = b.nodes();
        for (int k = nodes.size() - 1; k >= 0; k--) {
            Node n = nodes.get(k);
            boolean any = false;
            for (Value o : n.outputs()) any |= grads.containsKey(o);
            if (!any || !touches(n, reach)) continue;
            List<Tensor> dys = new ArrayList<>(n.outputs().size());
            for (Value o : n.outputs()) {
                Tensor g = grads.get(o);
                dys.add(g != null ? g : Tf.zerosLike(forward(env, o)));
            }
            if (!n.regions().isEmpty()) {
                Grads sub = gradient(n, env, dys, reach);
                for (int j = 0; j < n.inputs().size(); j++) {
                    Tensor g = sub.inputs().get(j);
                    if (g != null && reach.contains(n.inputs().get(j))) grads.merge(n.inputs().get(j), g, Tf::add);
                }
                sub.captures().forEach((v, g) -> grads.merge(v, g, Tf::add));
                continue;
            }
            GradientRule rule = n.op().gradient();
            if (rule == null) {
                throw new UnimplementedError("No gradient defined for operation '" + n.op().name() + "' (op type: " + n.op().name() + ")")
                        .in(n.op().name(), n.location());
            }
            List<Tensor> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (Value v : n.inputs()) xs.add(forward(env, v));
            for (Value v : n.outputs()) ys.add(forward(env, v));
            GradientRule.Call call = new GradientRule.Call(n.op(), TensorOperand.wrap(xs), TensorOperand.wrap(ys), TensorOperand.wrap(dys), n.attrs());
            List<Operand> dxs = rule.vjp(TensorOperand.BUILDER, call);
            for (int j = 0; j < n.inputs().size(); j++) {
                Value x = n.inputs().get(j);
                Tensor dx = j < dxs.size() ? TensorOperand.unwrap(dxs.get(j)) : null;
                if (dx != null && x.dtype().isFloating() && reach.contains(x)) grads.merge(x, dx, Tf::add);
            }
        }
        return grads;
    }

    private static Node producerIn(Block b, Value v) {
        for (Node n : b.nodes()) if (n.outputs().contains(v)) return n;
        return null;
    }

    private static Tensor orZeros(Tensor g, Tensor like) { return g != null ? g : Tf.zerosLike(like); }

    private static List<Tensor> unwrap(List<Operand> ops) {
        List<Tensor> out = new ArrayList<>(ops.size());
        for (Operand o : ops) out.add(TensorOperand.unwrap(o));
        return out;
    }
}
