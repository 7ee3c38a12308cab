package dev.tfjit.ir.kernels.random;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;

/**
 * Which stream a random op draws from, and how much of it one execution reserves: the one
 * definition the interpreter's kernels ({@link RandomKernels}) and compiled code share, so that
 * a compiled function continues exactly the streams the interpreter would.
 *
 * @param name the op, its output dtype and its {@code stream} attribute (0 for eager ops, which
 *             share one stream per op, dtype and seeds as TF's eager kernel cache does; each
 *             traced node has its own, as each graph kernel in TF owns its generator)
 * @param seed the {@code seed} attribute (the Philox key)
 * @param seed2 the {@code seed2} attribute (the counter's high word)
 */
public record RandomStream(String name, long seed, long seed2) {
    /** TF reserves this many 128-bit blocks per output element, enough for rejection sampling. */
    public static final int RESERVED_PER_OUTPUT = 256;

    /** The stream of {@code op} producing {@code out} with these attributes. */
    public static RandomStream of(String op, DType out, long stream, long seed, long seed2) {
        return new RandomStream(op + ":" + out.shortName() + (stream == 0 ? "" : "#" + stream), seed, seed2);
    }

    /** The stream a node of a random op ({@link OpDef.Effect#RANDOM}) draws from. */
    public static RandomStream of(Node n) {
        if (n.op().effect() != OpDef.Effect.RANDOM) throw new IllegalArgumentException(n.op().name() + " is not a random op");
        var a = n.attrs();
        return of(n.op().name(), n.output().dtype(), a.getLong("stream", 0), a.getLong("seed", 0), a.getLong("seed2", 0));
    }

    /**
     * The blocks one execution of {@code op} with output shape {@code out} reserves: 256 per
     * element, except {@code random_shuffle}, which draws one word per swap and nothing at all
     * when there is nothing to permute (then it returns 0 and does not touch the stream).
     */
    public static long blocks(String op, Shape out) {
        long n = out.numElements();
        if (!op.equals("random_shuffle")) return n * RESERVED_PER_OUTPUT;
        if (n <= 1 || out.dim(0) <= 1) return 0;
        return (out.dim(0) - 1 + 3L) / 4;
    }

    /** This stream's state in the process-wide registry ({@link PhiloxStreams}). */
    public PhiloxState shared() { return PhiloxStreams.state(name, seed, seed2); }
}
