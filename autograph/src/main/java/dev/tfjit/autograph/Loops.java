package dev.tfjit.autograph;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Stages a {@code while} node for a loop of converted code. Its loop values are the locals the
 * loop writes that are live where it goes next, plus, when the body can {@code break} or
 * {@code return}, the index of the exit an iteration took (0: around again), which the loop's
 * condition also tests: AutoGraph's flags. After the loop the code continues as Java at that
 * exit, or, when the exit is a tensor with several possible values, the code after each exit
 * is staged as a chain of conds.
 */
final class Loops {
    private Loops() {}

    private static final int ATTEMPTS = 12;

    private enum Kind { TENSOR, ITERATION, JAVA }

    /** {@code width}: how many loop values the slot takes (a Java value none, an iteration its state). */
    private record Entry(int slot, Kind kind, Object javaValue, int width) {}

    static Object[] stage(Site site, SiteSpec.Loop spec, Tensor pred, Object[] frame) {
        int size = site.size();
        Object[] state;
        if (spec.standard()) {
            state = loop(site, spec, frame);
        } else {
            // The test is in the middle of the loop: finish this pass from the test, then loop.
            Conds.Scope scope = Conds.Scope.frames(spec.exits(), spec.loopVars(), size);
            Object[] first = Conds.merge(site, pred, () -> site.method().run(spec.thenBranch(), frame),
                    () -> site.method().run(spec.elseBranch(), frame), scope, frame, Conds.Names.LOOP_START);
            state = first[size] instanceof Integer k && k != 0 ? first : loop(site, spec, first);
        }
        return after(site, spec, state);
    }

    private static Object[] loop(Site site, SiteSpec.Loop spec, Object[] frame) {
        Map<Integer, TensorType> standIns = new HashMap<>();
        for (int attempt = 0; ; attempt++) {
            Object token = new Object();
            try {
                return attempt(site, spec, frame, standIns, token);
            } catch (Conds.Retry r) {
                if (r.token != token) throw r;
                if (attempt == ATTEMPTS) throw new IllegalStateException("autograph: the while loop at " + site.where() + " did not settle");
                standIns = r.hints.standIns;
            }
        }
    }

    private static Object[] attempt(Site site, SiteSpec.Loop spec, Object[] frame, Map<Integer, TensorType> standIns, Object token) {
        int size = site.size();
        List<Entry> layout = new ArrayList<>();
        List<Tensor> init = new ArrayList<>();
        List<Shape> invariants = new ArrayList<>();
        boolean anyInvariant = false;
        for (int s : spec.loopVars()) {
            Object v = frame[s];
            TensorType standIn = standIns.get(s);
            if (standIn != null) {
                layout.add(new Entry(s, Kind.TENSOR, null, 1));
                init.add(v instanceof Tensor t && t.dtype() == standIn.dtype() ? t : Conds.zeros(standIn));
                invariants.add(standIn.shape());
                anyInvariant = true;
            } else if (v instanceof Tensor t) {
                layout.add(new Entry(s, Kind.TENSOR, null, 1));
                init.add(t);
                invariants.add(null);
            } else if (v instanceof StagedIteration ti && ti.symbolic()) {
                List<Tensor> state = ti.carried();
                layout.add(new Entry(s, Kind.ITERATION, null, state.size()));
                init.addAll(state);
                for (int k = 0; k < state.size(); k++) invariants.add(null);
            } else {
                layout.add(new Entry(s, Kind.JAVA, v, 0));
            }
        }
        boolean flag = spec.breaks() || !spec.standard();
        if (flag) {
            Object e = frame[size];
            init.add(e instanceof Tensor t ? t : Tf.constant(e instanceof Integer k ? k : 0));
            invariants.add(null);
        }
        Tensor zero = Tf.constant(0);
        List<Tensor> out = Tf.whileLoop(vars -> {
            if (!spec.standard()) return Tf.equal(vars.get(vars.size() - 1), zero);
            Object[] f = unpack(frame, layout, vars, size);
            Supplier<Tensor> test = () -> {
                Tensor p = site.method().condition(spec, f);
                return spec.negate() ? Tf.logicalNot(p) : p;
            };
            // After a break the test is not evaluated: it may not be safe to (an index past the end).
            return flag ? Tf.cond(Tf.equal(vars.get(vars.size() - 1), zero), test, () -> Tf.constant(false)) : test.get();
        }, vars -> {
            Object[] f = unpack(frame, layout, vars, size);
            Object[] after = site.method().run(spec.standard() ? spec.body() : spec.iteration(), f);
            List<Tensor> next = new ArrayList<>();
            int i = 0;
            for (Entry e : layout) {
                next.addAll(carried(site, spec, e, after, vars.subList(i, i + e.width), standIns, token));
                i += e.width;
            }
            if (flag) next.add(after[size] instanceof Tensor t ? t : Tf.constant((Integer) after[size]));
            return next;
        }, init, anyInvariant ? invariants : nullsOf(invariants.size()));
        Object[] state = unpack(frame, layout, out, size);
        int own = site.method().analysis().iteratedSlot(spec.call());
        for (Entry e : layout) {
            if (e.kind == Kind.ITERATION && e.slot == own) ((StagedIteration) state[e.slot]).finish();
        }
        if (flag) {
            Tensor exit = out.get(out.size() - 1);
            // A standard loop whose test failed leaves with "around again" still set: that is its normal exit.
            state[size] = spec.standard() ? Tf.where(Tf.equal(exit, zero), Tf.constant(spec.normalExit()), exit) : exit;
        } else {
            state[size] = spec.normalExit();
        }
        return state;
    }

    private static List<Shape> nullsOf(int n) {
        List<Shape> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add(null);
        return l;
    }

    /** The frame a loop's cond or body sees: the loop values in their slots, the Java values unchanged. */
    private static Object[] unpack(Object[] frame, List<Entry> layout, List<Tensor> vars, int size) {
        Object[] f = frame.clone();
        int i = 0;
        for (Entry e : layout) {
            switch (e.kind) {
                case TENSOR -> f[e.slot] = vars.get(i++);
                case ITERATION -> {
                    f[e.slot] = ((StagedIteration) frame[e.slot]).at(vars.subList(i, i + e.width));
                    i += e.width;
                }
                case JAVA -> f[e.slot] = e.javaValue;
            }
        }
        if (i < vars.size()) f[size] = vars.get(i);
        return f;
    }

    /** The next values of one slot's loop values after the body, checked against the loop values {@code vars}. */
    private static List<Tensor> carried(Site site, SiteSpec.Loop spec, Entry e, Object[] after, List<Tensor> vars,
                                        Map<Integer, TensorType> standIns, Object token) {
        int slot = e.slot;
        Object v = after[slot];
        boolean relevant = relevantAfter(site, spec, after, slot);
        String name = site.name(slot);
        String where = "the while loop at " + site.where();
        Tensor var = e.kind == Kind.TENSOR ? vars.get(0) : null;
        switch (e.kind) {
            case TENSOR -> {
                if (v instanceof Tensor t) {
                    if (t.dtype() == var.dtype() && var.shape().accepts(t.shape())) return List.of(t);
                    if (!relevant) return List.of(Tf.zerosLike(var));
                    throw new TfException("autograph: " + name + " is " + var.type() + " before an iteration of " + where + " but "
                            + t.type() + " after it; a value carried by a staged loop must keep its dtype and shape");
                }
                if (!relevant) return List.of(Tf.zerosLike(var));
                throw new TfException("autograph: " + name + " is a " + var.type() + " tensor before an iteration of " + where + " but "
                        + Conds.java(v) + " after it; a value carried by a staged loop must stay a tensor");
            }
            case ITERATION -> {
                if (v instanceof StagedIteration ti && ti.symbolic() && ti.accepts(vars)) return ti.carried();
                throw new TfException("autograph: the tensor loop " + name + " changed inside " + where);
            }
            default -> {
                if (v instanceof Tensor t) {
                    if (!relevantBefore(site, spec, slot)) {
                        Map<Integer, TensorType> h = new HashMap<>(standIns);
                        h.put(slot, t.type());
                        Conds.Hints hints = new Conds.Hints();
                        hints.standIns.putAll(h);
                        throw new Conds.Retry(token, hints);
                    }
                    throw new TfException("autograph: " + name + " is " + Conds.java(e.javaValue) + " before " + where + " but a " + t.type()
                            + " tensor after an iteration; a value carried by a staged loop must be a tensor before it too: make "
                            + name + " a Tensor (Tf.constant)");
                }
                if (relevant && !Conds.same(e.javaValue, v)) {
                    throw new TfException("autograph: " + name + " is a Java " + site.method().analysis().javaTypeOf(slot, spec.call())
                            + " that changes inside " + where + " (" + String.valueOf(e.javaValue) + " before an iteration, "
                            + String.valueOf(v) + " after it), which is staged because its condition is a symbolic tensor; a staged loop"
                            + " carries only tensors: make " + name + " a Tensor (Tf.constant) or compute it after the loop");
                }
                return List.of();
            }
        }
    }

    /** Whether a slot's value after an iteration matters: live where the iteration left to. */
    private static boolean relevantAfter(Site site, SiteSpec.Loop spec, Object[] after, int slot) {
        if (!(after[site.size()] instanceof Integer k)) return true;
        return site.method().analysis().liveAt(spec.exits().get(k)).get(slot);
    }

    /** Whether a slot's value before the loop matters: read by the first iteration or, if none runs, after the loop. */
    private static boolean relevantBefore(Site site, SiteSpec.Loop spec, int slot) {
        BitSet live = site.method().analysis().liveAt(spec.header());
        if (spec.standard()) live.or(site.method().analysis().liveAt(spec.exits().get(spec.normalExit())));
        return live.get(slot);
    }

    /** Where the code goes on after the loop: as Java at its exit, or staged after each possible exit. */
    private static Object[] after(Site site, SiteSpec.Loop spec, Object[] state) {
        int size = site.size();
        List<Integer> reachable = spec.reachableExits();
        Object exit = state[size];
        if (exit instanceof Integer k) {
            int action = reachable.indexOf(k);
            if (action < 0) throw new IllegalStateException("autograph: the loop at " + site.where() + " left through exit " + k);
            state[size] = action;
            return state;
        }
        if (reachable.size() == 1) {
            state[size] = 0;
            return state;
        }
        Region region = site.region();
        Conds.Scope scope;
        if (region.returning()) {
            scope = Conds.Scope.returning(size);
        } else {
            BitSet live = new BitSet();
            for (int t : region.exits()) live.or(site.method().analysis().liveAt(t));
            live.clear(size, live.length() + 1);
            scope = Conds.Scope.frames(region.exits(), live.stream().toArray(), size);
        }
        Object[] merged = dispatch(site, spec, (Tensor) exit, state, 0, scope);
        return Conds.returning(site, state, merged);
    }

    private static Object[] dispatch(Site site, SiteSpec.Loop spec, Tensor exit, Object[] state, int i, Conds.Scope scope) {
        List<Integer> reachable = spec.reachableExits();
        Region after = spec.afterwards().get(i);
        int target = spec.exits().get(reachable.get(i));
        Supplier<Object[]> here = () -> {
            if (after != null) return site.method().run(after, state);
            Object[] f = state.clone();
            f[site.size()] = site.region().exitIndex(target);
            return f;
        };
        if (i == reachable.size() - 1) return here.get();
        Tensor taken = Tf.equal(exit, Tf.constant(reachable.get(i), DType.INT32));
        return Conds.merge(site, taken, here, () -> dispatch(site, spec, exit, state, i + 1, scope), scope, state, Conds.Names.EXITS);
    }
}
