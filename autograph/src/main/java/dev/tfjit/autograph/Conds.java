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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Stages a {@code cond} whose branches are regions of converted code returning frames, and
 * merges the frames into one: each local of {@code scope} that is a tensor in either branch
 * becomes a cond result; a Java value must be the same in both. A value only matters on the
 * paths where it is live (a branch that {@code break}s does not need the locals read after the
 * loop's next iteration): there a missing tensor is stood in for by zeros of the other branch's
 * type. When the then branch, traced first, turns out to need such a stand-in (or the exit
 * index must become a tensor), the cond is traced again with that known ({@link Retry}).
 */
final class Conds {
    private Conds() {}

    private static final int ATTEMPTS = 12;

    /**
     * The locals a staged statement's frames carry out. {@code exits}: the targets the frame's
     * exit index refers to (which locals are live depends on it); empty when the frames hold a
     * returned value instead ({@code slots} is then that cell).
     */
    record Scope(List<Integer> exits, int[] slots) {
        static Scope returning(int size) { return new Scope(List.of(), new int[] {size + 1}); }

        static Scope frames(List<Integer> exits, int[] locals, int size) {
            int[] s = new int[locals.length + 1];
            System.arraycopy(locals, 0, s, 0, locals.length);
            s[locals.length] = size;
            return new Scope(exits, s);
        }

        boolean returning() { return exits.isEmpty(); }
    }

    /** What the then branch, traced first, fixed about one slot; TENSORS: a returned list or array of tensors; ITERATION: a for-each loop's state. */
    private enum Kind { TENSOR, ITERATION, TENSORS, JAVA }

    /** How a retried cond handles what the first attempt could not know. */
    static final class Hints {
        final Map<Integer, TensorType> standIns = new HashMap<>();
        boolean liftExit;
    }

    /** Traces again with more hints; only the stager that threw it catches it. */
    static final class Retry extends RuntimeException {
        final Object token;
        final Hints hints;

        Retry(Object token, Hints hints) {
            super(null, null, false, false);
            this.token = token;
            this.hints = hints;
        }
    }

    /** A staged {@code if}. */
    static Object[] stageIf(Site site, SiteSpec.If spec, Tensor pred, Object[] frame) {
        int size = site.size();
        Region region = site.region();
        Scope scope = spec.merge() >= 0 ? Scope.frames(List.of(spec.merge()), spec.outputs(), size)
                : region.returning() ? Scope.returning(size) : Scope.frames(region.exits(), spec.outputs(), size);
        Object[] merged = merge(site, pred, () -> site.method().run(spec.thenBranch(), frame),
                () -> site.method().run(spec.elseBranch(), frame), scope, frame, Names.IF);
        if (spec.merge() >= 0) {
            merged[size] = 0;
            return merged;
        }
        return returning(site, frame, merged);
    }

    /** The answer "return": the enclosing region is done, with the merged frame (or, for a method, its value). */
    static Object[] returning(Site site, Object[] frame, Object[] merged) {
        int size = site.size();
        Object[] result = frame.clone();
        result[size] = -1;
        result[size + 1] = site.region().returning() ? merged[size + 1] : merged;
        return result;
    }

    /** How errors name the two branches and the statement. */
    record Names(String then, String otherwise, String statement) {
        static final Names IF = new Names("the then branch", "the else branch", "the if");
        static final Names LOOP_START = new Names("the loop's first pass if the test is true", "if it is false", "the while loop");
        static final Names EXITS = new Names("one way out of", "another way out of", "the while loop");
    }

    static Object[] merge(Site site, Tensor pred, Supplier<Object[]> thenRun, Supplier<Object[]> elseRun, Scope scope,
                          Object[] input, Names names) {
        Hints hints = new Hints();
        for (int attempt = 0; ; attempt++) {
            Object token = new Object();
            try {
                return attempt(site, pred, thenRun, elseRun, scope, input, names, hints, token);
            } catch (Retry r) {
                if (r.token != token) throw r;
                if (attempt == ATTEMPTS) throw new IllegalStateException("autograph: the cond at " + site.where() + " did not settle");
                hints = r.hints;
            }
        }
    }

    private record Entry(int slot, Kind kind, Tensor thenTensor, Object thenValue, boolean thenRelevant, List<Tensor> parts) {
        Entry(int slot, Kind kind, Tensor thenTensor, Object thenValue, boolean thenRelevant) {
            this(slot, kind, thenTensor, thenValue, thenRelevant, null);
        }
    }

    private static Object[] attempt(Site site, Tensor pred, Supplier<Object[]> thenRun, Supplier<Object[]> elseRun, Scope scope,
                                    Object[] input, Names names, Hints hints, Object token) {
        List<Entry> layout = new ArrayList<>();
        Object[] javaValues = new Object[input.length];
        Object[][] thenFrame = new Object[1][];
        List<Tensor> out = Tf.condAll(pred, () -> {
            Object[] f = thenRun.get();
            thenFrame[0] = f;
            layout.clear();
            List<Tensor> flat = new ArrayList<>();
            for (int s : scope.slots()) {
                Entry e = decide(site, scope, f, s, hints);
                layout.add(e);
                if (e.kind == Kind.TENSORS || e.kind == Kind.ITERATION) flat.addAll(e.parts);
                else if (e.kind != Kind.JAVA) flat.add(e.thenTensor);
            }
            return flat;
        }, () -> {
            Object[] f = elseRun.get();
            List<Tensor> flat = new ArrayList<>();
            for (Entry e : layout) {
                if (e.kind == Kind.TENSORS) flat.addAll(reconcileParts(site, e, f[e.slot], names));
                else if (e.kind == Kind.ITERATION) flat.addAll(reconcileIteration(site, e, f[e.slot], names));
                else {
                    Tensor t = reconcile(site, scope, e, f, hints, token, names, javaValues);
                    if (t != null) flat.add(t);
                }
            }
            return flat;
        });
        Object[] merged = input.clone();
        Iterator<Tensor> it = out.iterator();
        for (Entry e : layout) {
            merged[e.slot] = switch (e.kind) {
                case TENSOR -> it.next();
                case ITERATION -> {
                    List<Tensor> state = new ArrayList<>();
                    for (int i = 0; i < e.parts.size(); i++) state.add(it.next());
                    yield ((StagedIteration) thenFrame[0][e.slot]).at(state);
                }
                case TENSORS -> {
                    List<Tensor> parts = new ArrayList<>();
                    for (int i = 0; i < e.parts.size(); i++) parts.add(it.next());
                    yield e.thenValue instanceof Tensor[] ? parts.toArray(Tensor[]::new) : List.copyOf(parts);
                }
                case JAVA -> javaValues[e.slot];
            };
        }
        return merged;
    }

    private static Entry decide(Site site, Scope scope, Object[] f, int slot, Hints hints) {
        Object v = f[slot];
        boolean relevant = relevant(site, scope, f, slot);
        TensorType standIn = hints.standIns.get(slot);
        if (standIn != null) {
            Tensor t = v instanceof Tensor x && x.dtype() == standIn.dtype() && relevant ? x : zeros(standIn);
            return new Entry(slot, Kind.TENSOR, t, v, relevant);
        }
        if (slot == site.size() && hints.liftExit && v instanceof Integer k) {
            return new Entry(slot, Kind.TENSOR, Tf.constant(k), v, true);
        }
        if (v instanceof Tensor t) return new Entry(slot, Kind.TENSOR, t, v, relevant);
        if (v instanceof StagedIteration ti && ti.symbolic()) return new Entry(slot, Kind.ITERATION, null, v, relevant, ti.carried());
        List<Tensor> parts = tensors(v);
        if (slot == site.size() + 1 && parts != null) return new Entry(slot, Kind.TENSORS, null, v, true, parts);
        return new Entry(slot, Kind.JAVA, null, v, relevant);
    }

    /** The tensors of a non-empty list or array holding only tensors, else null. */
    private static List<Tensor> tensors(Object v) {
        List<?> items = v instanceof List<?> l ? l : v instanceof Tensor[] a ? List.of(a) : null;
        if (items == null || items.isEmpty()) return null;
        List<Tensor> out = new ArrayList<>();
        for (Object o : items) {
            if (!(o instanceof Tensor t)) return null;
            out.add(t);
        }
        return out;
    }

    /** The else branch's returned tensors, which must match the then branch's in number and dtypes. */
    private static List<Tensor> reconcileParts(Site site, Entry e, Object v, Names names) {
        List<Tensor> parts = tensors(v);
        boolean same = parts != null && parts.size() == e.parts.size();
        for (int i = 0; same && i < parts.size(); i++) same = parts.get(i).dtype() == e.parts.get(i).dtype();
        if (!same) {
            throw new TfException("autograph: the returned value is " + describe(e.parts) + " after " + names.then() + " but "
                    + (parts == null ? java(v) : describe(parts)) + " after " + names.otherwise() + " of " + names.statement() + " at "
                    + site.where() + "; both must return the same number of tensors with the same dtypes");
        }
        return parts;
    }

    /** The else branch's state of a for-each loop's iterator, which must be the then branch's iteration. */
    private static List<Tensor> reconcileIteration(Site site, Entry e, Object v, Names names) {
        if (v instanceof StagedIteration ti && ti.symbolic() && ti.getClass() == e.thenValue.getClass() && ti.accepts(e.parts)) {
            return ti.carried();
        }
        throw new TfException("autograph: the tensor loop " + name(site, e.slot) + " is not the same after " + names.otherwise()
                + " of " + names.statement() + " at " + site.where());
    }

    private static String describe(List<Tensor> parts) {
        return parts.size() + " tensors " + parts.stream().map(t -> t.type().toString()).toList();
    }

    /** The else branch's tensor for entry e (null for a Java entry), or an error, or a retry. */
    private static Tensor reconcile(Site site, Scope scope, Entry e, Object[] f, Hints hints, Object token, Names names,
                                    Object[] javaValues) {
        int slot = e.slot;
        Object v = f[slot];
        boolean relevant = relevant(site, scope, f, slot);
        boolean exit = slot == site.size();
        switch (e.kind) {
            case TENSOR -> {
                Tensor t = e.thenTensor;
                if (v instanceof Tensor x) {
                    if (x.dtype() == t.dtype()) return x;
                    if (!relevant) return zeros(t.type());
                    if (!e.thenRelevant) throw retry(token, hints, slot, x.type());
                    throw new TfException("autograph: " + name(site, slot) + " is " + t.type() + " after " + names.then() + " but "
                            + x.type() + " after " + names.otherwise() + " of " + names.statement() + " at " + site.where()
                            + "; both must leave it with the same dtype");
                }
                if (exit && v instanceof Integer k) return Tf.constant(k);
                if (!relevant) return zeros(t.type());
                throw new TfException("autograph: " + name(site, slot) + " is a " + t.type() + " tensor after " + names.then() + " but "
                        + java(v) + " after " + names.otherwise() + " of " + names.statement() + " at " + site.where()
                        + ", which is staged because its condition is a symbolic tensor; it must be a tensor on both paths");
            }
            case ITERATION, TENSORS -> throw new IllegalStateException("autograph: " + e.kind + " is reconciled on its own");
            default -> {
                if (v instanceof Tensor x) {
                    if (exit) throw retryLift(token, hints);
                    if (!e.thenRelevant) throw retry(token, hints, slot, x.type());
                    throw new TfException("autograph: " + name(site, slot) + " is " + java(e.thenValue) + " after " + names.then()
                            + " but a " + x.type() + " tensor after " + names.otherwise() + " of " + names.statement() + " at "
                            + site.where() + ", which is staged because its condition is a symbolic tensor; make it a tensor on both"
                            + " paths (Tf.constant)");
                }
                if (e.thenRelevant && relevant && !same(e.thenValue, v)) {
                    if (exit) throw retryLift(token, hints);
                    throw new TfException("autograph: " + name(site, slot) + " is " + java(e.thenValue) + " after " + names.then()
                            + " but " + java(v) + " after " + names.otherwise() + " of " + names.statement() + " at " + site.where()
                            + ", which is staged because its condition is a symbolic tensor; a Java value cannot depend on it:"
                            + " make " + name(site, slot) + " a Tensor (Tf.constant)");
                }
                javaValues[slot] = e.thenRelevant ? e.thenValue : v;
                return null;
            }
        }
    }

    private static Retry retry(Object token, Hints hints, int slot, TensorType type) {
        Hints h = copy(hints);
        h.standIns.put(slot, type);
        return new Retry(token, h);
    }

    private static Retry retryLift(Object token, Hints hints) {
        Hints h = copy(hints);
        h.liftExit = true;
        return new Retry(token, h);
    }

    private static Hints copy(Hints hints) {
        Hints h = new Hints();
        h.standIns.putAll(hints.standIns);
        h.liftExit = hints.liftExit;
        return h;
    }

    /** Whether the slot's value in frame f matters: it is live where f leaves to (any exit, if that is a tensor). */
    static boolean relevant(Site site, Scope scope, Object[] f, int slot) {
        int size = site.size();
        if (slot >= size || scope.returning()) return true;
        Object exit = f[size];
        if (!(exit instanceof Integer k) || k < 0 || k >= scope.exits().size()) return true;
        BitSet live = site.method().analysis().liveAt(scope.exits().get(k));
        return live.get(slot);
    }

    static String name(Site site, int slot) {
        if (slot == site.size() + 1) return "the returned value";
        if (slot == site.size()) return "the exit index";
        return site.name(slot);
    }

    static boolean same(Object a, Object b) { return a == b || Objects.equals(a, b); }

    /** "null" or "the Java Integer 3". */
    static String java(Object v) {
        if (v == null) return "null";
        String s = String.valueOf(v);
        if (s.length() > 40) s = s.substring(0, 40) + "...";
        return "the Java " + v.getClass().getSimpleName() + " " + s;
    }

    /** Zeros standing in for a value that is not used on this path; unknown dims become 0. */
    static Tensor zeros(TensorType type) {
        if (!type.shape().hasRank()) {
            throw new TfException("autograph: cannot stand in for a value of unknown rank (" + type + ") on a path that does not set it;"
                    + " give it a value before the statement");
        }
        int[] dims = type.shape().dims().clone();
        for (int i = 0; i < dims.length; i++) if (dims[i] == Shape.UNKNOWN) dims[i] = 0;
        if (type.dtype() == DType.STRING) return Tf.fill(dims, "");
        return Tf.zeros(dims, type.dtype());
    }
}
