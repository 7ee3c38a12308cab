package dev.tfjit.autograph;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.data.Dataset;

/**
 * What converted code calls. At a tensor test it asks {@link #isSymbolic}: an eager tensor keeps
 * the original Java, so eager runs have exactly Java's semantics; a symbolic one is passed to
 * {@link #stage} with the live locals packed in a frame, which stages a {@code cond} or
 * {@code while} and answers where the Java continues (a frame whose cell {@code size} is -1 for
 * "return cell {@code size + 1}", or k for "go on at the site's k-th Java target").
 * Public because the converted code lives in the user's package.
 */
public final class Staging {
    private Staging() {}

    static final Tensor TRUE = Tensor.of(Buffer.ofBooleans(Shape.SCALAR, true));
    static final Tensor FALSE = Tensor.of(Buffer.ofBooleans(Shape.SCALAR, false));

    /** The converted code's test: stage (true) or run the original Java (false). */
    public static boolean isSymbolic(Tensor predicate) { return predicate != null && predicate.isSymbolic(); }

    /** A tensor test reached with a symbolic tensor: stages the statement it controls. */
    public static Object[] stage(Object siteObject, Tensor predicate, Object[] frame) {
        Site site = (Site) siteObject;
        return switch (site.spec()) {
            case SiteSpec.Unconvertible u -> throw new UnimplementedError("autograph: cannot stage the condition at " + site.where()
                    + " (" + site.method().displayName() + ") on a symbolic tensor: " + u.problem());
            case SiteSpec.If i -> {
                allow(site, i.problem());
                yield Conds.stageIf(site, i, predicate, frame);
            }
            case SiteSpec.Loop l -> {
                allow(site, l.problem());
                yield Loops.stage(site, l, predicate, frame);
            }
        };
    }

    /** Strict methods refuse what should not be staged; others run it once, while tracing, and warn. */
    private static void allow(Site site, String problem) {
        if (problem == null) return;
        String message = "autograph: " + problem.replace("%s", site.where() + " (" + site.method().displayName() + ")");
        if (site.method().strict()) throw new UnimplementedError(message);
        site.method().warn(message + " (strict = false: it runs once, while tracing)");
    }

    /** {@code tensor.iterator()} in converted code. */
    public static StagedIteration iterate(Tensor t) { return TensorIteration.over(t); }

    /** {@code dataset.iterator()} of a for-each loop in converted code. */
    public static StagedIteration iterate(Dataset<?> d) { return DatasetIteration.over(d); }

    /** {@code iterator.hasNext()} on such an iterator, as a bool tensor the loop tests. */
    public static Tensor hasNext(StagedIteration it) { return it.predicate(); }

    /** {@code iterator.next()} on such an iterator. */
    public static Object next(StagedIteration it) { return it.next(); }

    /** Counts an iteration of a loop of converted code while tracing (see {@link UnrollWatch}). */
    public static void javaLoopIteration(Object loop) { UnrollWatch.iteration((JavaLoop) loop); }
}
