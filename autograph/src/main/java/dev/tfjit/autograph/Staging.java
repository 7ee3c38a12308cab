package dev.tfjit.autograph;

import dev.tfjit.ir.TfException;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * What rewritten bytecode calls at a tensor-dependent {@code if} or {@code while} whose predicate
 * turned out symbolic (an eager predicate keeps the original Java code, so eager runs have
 * exactly Java's semantics). A "frame" is the method's locals boxed into an array by slot; the
 * extracted branch, condition and body methods take a frame and return the frame they leave.
 */
public final class Staging {
    private Staging() {}

    /** The rewritten code's test: stage (true) or run the original Java (false). */
    public static boolean isSymbolic(Tensor predicate) { return predicate != null && predicate.isSymbolic(); }

    /** {@code if} on a symbolic predicate: one cond node whose results are the carried locals. */
    public static Object[] stageIf(int siteId, Tensor pred, Object[] frame, MethodHandle thenBranch, MethodHandle elseBranch) {
        Site site = Site.get(siteId);
        List<Tensor> thenOut = new ArrayList<>(), elseOut = new ArrayList<>();
        List<Tensor> out = Tf.condAll(pred,
                () -> record(thenOut, carried(site, thenBranch == null ? frame : run(thenBranch, frame), "at the end of the then branch")),
                () -> sameDtypes(site, thenOut, record(elseOut, carried(site, elseBranch == null ? frame : run(elseBranch, frame),
                        "at the end of the else branch"))));
        return withCarried(frame, site, out);
    }

    /** {@code if (t) return a; ... return b;} on a symbolic predicate: one cond node whose result is returned. */
    public static Object stageReturn(int siteId, Tensor pred, Object[] frame, MethodHandle thenBranch, MethodHandle elseBranch) {
        Site site = Site.get(siteId);
        return Tf.cond(pred, () -> returned(site, call(thenBranch, frame.clone()), "then"),
                () -> returned(site, call(elseBranch, frame.clone()), "else"));
    }

    private static Tensor returned(Site site, Object value, String branch) {
        if (value instanceof Tensor t) return t;
        throw new UnimplementedError("autograph: the " + branch + " branch of the if at " + site.where() + " returns "
                + (value == null ? "null" : "a Java " + value.getClass().getSimpleName()) + "; a return under a symbolic tensor"
                + " condition must return one Tensor on every path");
    }

    /** Checked as the else branch is traced (after the then branch), so the error can name the local. */
    private static List<Tensor> sameDtypes(Site site, List<Tensor> thenOut, List<Tensor> elseOut) {
        for (int i = 0; i < thenOut.size() && i < elseOut.size(); i++) {
            if (thenOut.get(i).dtype() != elseOut.get(i).dtype()) {
                throw new TfException("autograph: " + site.names().get(i) + " is " + thenOut.get(i).dtype() + " after the then branch but "
                        + elseOut.get(i).dtype() + " after the else branch of the if at " + site.where()
                        + "; both branches must leave it with the same dtype");
            }
        }
        return elseOut;
    }

    /**
     * {@code while} on a symbolic predicate: one while node whose loop vars are the carried locals.
     * {@code firstPred} is the test as the Java code first computed it; the staged loop computes
     * it again inside its condition region, so the first one is left unused in the trace.
     */
    public static Object[] stageWhile(int siteId, Tensor firstPred, Object[] frame, MethodHandle cond, MethodHandle body) {
        Site site = Site.get(siteId);
        List<Tensor> init = new ArrayList<>(carried(site, frame, "at the start"));
        int n = init.size();
        boolean folds = site.breakTest() != Site.BreakTest.NONE;
        // A final "if (t) break;" becomes a loop var "broke", and the loop runs while !broke && cond.
        if (folds) init.add(Tf.constant(false));
        List<Tensor> all = Tf.whileLoop(vars -> {
            Tensor p = (Tensor) call(cond, withCarried(frame, site, vars.subList(0, n)));
            if (site.negate()) p = Tf.logicalNot(p);
            return folds ? Tf.logicalAnd(Tf.logicalNot(vars.get(n)), p) : p;
        }, vars -> {
            Object[] after = run(body, withCarried(frame, site, vars.subList(0, n)));
            List<Tensor> next = new ArrayList<>(carried(site, after, "at the end of the body"));
            checkSameTypes(site, vars, next);
            if (folds) next.add(brokeAfter(site, after[after.length - 1]));
            return next;
        }, init);
        return withCarried(frame, site, all.subList(0, n));
    }

    private static Tensor brokeAfter(Site site, Object test) {
        if (test == null) return Tf.constant(false); // a continue skipped the break test
        if (!(test instanceof Tensor t)) throw new IllegalStateException("autograph: a break test gave " + test + " at " + site.where());
        return site.breakTest() == Site.BreakTest.WHEN_FALSE ? Tf.logicalNot(t) : t;
    }

    private static void checkSameTypes(Site site, List<Tensor> vars, List<Tensor> next) {
        for (int i = 0; i < next.size(); i++) {
            Tensor before = vars.get(i), after = next.get(i);
            if (before.dtype() != after.dtype() || !compatible(before, after)) {
                throw new TfException("autograph: " + site.names().get(i) + " is " + before.type() + " before an iteration but "
                        + after.type() + " after it, in the while loop at " + site.where()
                        + "; a loop variable must keep its dtype and shape");
            }
        }
    }

    /** A tensor-dependent statement that cannot be staged was reached with a symbolic predicate. */
    public static RuntimeException unconvertible(Tensor pred, int siteId) {
        Site site = Site.get(siteId);
        return new UnimplementedError("autograph: cannot stage the condition on a symbolic tensor at " + site.where() + ": "
                + site.problem());
    }

    private static boolean compatible(Tensor a, Tensor b) {
        if (!a.shape().hasRank() || !b.shape().hasRank()) return true;
        if (a.rank() != b.rank()) return false;
        for (int d = 0; d < a.rank(); d++) {
            long x = a.shape().dim(d), y = b.shape().dim(d);
            if (x >= 0 && y >= 0 && x != y) return false;
        }
        return true;
    }

    private static List<Tensor> record(List<Tensor> sink, List<Tensor> values) {
        sink.clear();
        sink.addAll(values);
        return values;
    }

    private static List<Tensor> carried(Site site, Object[] frame, String when) {
        List<Tensor> out = new ArrayList<>(site.carried().length);
        for (int i = 0; i < site.carried().length; i++) {
            Object v = frame[site.carried()[i]];
            if (v instanceof Tensor t) {
                out.add(t);
            } else {
                String what = v == null ? "null" : "the Java " + v.getClass().getSimpleName() + " " + v;
                String statement = site.kind() == Site.Kind.IF ? "if" : "while loop";
                throw new UnimplementedError("autograph: " + site.names().get(i) + " is " + what + " " + when + " of the " + statement
                        + " at " + site.where() + ", which is staged because its condition is a symbolic tensor; only Tensor locals"
                        + " can change inside a staged " + statement + ". Make " + site.names().get(i)
                        + " a Tensor (Tf.constant) or compute it outside");
            }
        }
        return out;
    }

    private static Object[] withCarried(Object[] frame, Site site, List<Tensor> values) {
        Object[] f = frame.clone();
        for (int i = 0; i < site.carried().length; i++) f[site.carried()[i]] = values.get(i);
        return f;
    }

    private static Object[] run(MethodHandle region, Object[] frame) { return (Object[]) call(region, frame.clone()); }

    private static Object call(MethodHandle region, Object[] frame) {
        try {
            return region.invoke(frame);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new TfException("autograph: the converted code threw " + t, t);
        }
    }
}
