package dev.tfjit.tracer;

import dev.tfjit.ir.GradientRule;
import dev.tfjit.ir.Operand;
import dev.tfjit.ir.UnimplementedError;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reverse pass over a tape: gradients flow from the targets back through the recorded ops
 * that lie between the sources and the targets, each op's rule emitting the backward ops in the
 * current context. Only floating-point tensors carry gradients.
 */
final class Backprop {
    private Backprop() {}

    /**
     * @param seeds one per target: the upstream gradient, or null for ones
     * @param sources each source as the tensors that stand for it (a variable: each of its reads)
     * @return one summed gradient per source, null where none reaches it
     */
    static List<Tensor> run(TapeContext tape, List<Tensor> targets, List<Tensor> seeds, List<List<Tensor>> sources) {
        List<TapeContext.Entry> entries = tape.entries();
        Set<Tensor> reach = Collections.newSetFromMap(new IdentityHashMap<>());
        for (List<Tensor> s : sources) reach.addAll(s);
        boolean[] useful = new boolean[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            TapeContext.Entry e = entries.get(i);
            boolean touches = false;
            for (Tensor t : e.inputs()) touches |= reach.contains(t);
            if (touches) {
                useful[i] = true;
                reach.addAll(e.outputs());
            }
        }
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        for (int k = 0; k < targets.size(); k++) {
            Tensor t = targets.get(k);
            if (!t.dtype().isFloating()) continue;
            Tensor seed = seeds.get(k) == null ? Tf.onesLike(t) : seeds.get(k);
            grads.merge(t, seed, Tf::add);
        }
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (!useful[i]) continue;
            TapeContext.Entry e = entries.get(i);
            List<Tensor> dys = new ArrayList<>(e.outputs().size());
            boolean any = false;
            for (Tensor out : e.outputs()) {
                Tensor g = grads.get(out);
                any |= g != null;
                dys.add(g);
            }
            if (!any) continue;
            boolean[] needed = new boolean[e.inputs().size()];
            boolean anyNeeded = false;
            for (int j = 0; j < needed.length; j++) {
                Tensor x = e.inputs().get(j);
                needed[j] = x.dtype().isFloating() && reach.contains(x);
                anyNeeded |= needed[j];
            }
            if (!anyNeeded) continue;
            GradientRule rule = e.rule();
            if (rule == null) {
                throw new UnimplementedError("No gradient defined for operation '" + e.op().name() + "' (op type: " + e.op().name() + ")");
            }
            for (int k = 0; k < dys.size(); k++) if (dys.get(k) == null) dys.set(k, Tf.zerosLike(e.outputs().get(k)));
            GradientRule.Call call = new GradientRule.Call(e.op(), TensorOperand.wrap(e.inputs()), TensorOperand.wrap(e.outputs()),
                    TensorOperand.wrap(dys), e.attrs());
            List<Operand> dxs = rule.vjp(TensorOperand.BUILDER, call);
            for (int j = 0; j < needed.length; j++) {
                Tensor dx = j < dxs.size() ? TensorOperand.unwrap(dxs.get(j)) : null;
                if (needed[j] && dx != null) grads.merge(e.inputs().get(j), dx, Tf::add);
            }
        }
        List<Tensor> result = new ArrayList<>(sources.size());
        for (List<Tensor> s : sources) {
            Tensor sum = null;
            for (Tensor t : s) {
                Tensor g = grads.get(t);
                if (g != null) sum = sum == null ? g : Tf.add(sum, g);
            }
            result.add(sum);
        }
        return result;
    }
}
