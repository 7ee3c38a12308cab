package dev.tfjit.autograph;

import java.util.List;

/**
 * What one tensor test ({@code Tensor.booleanValue()} feeding an {@code if} or loop) of a region
 * becomes when its tensor is symbolic. Indices are instructions of the analysed method.
 */
sealed interface SiteSpec {
    /** The {@code booleanValue} call. */
    int call();

    int line();

    /**
     * A staged {@code cond}. {@code merge} is the first instruction both branches reach (they
     * continue there as Java, with {@code outputs} set), or -1 when they never meet inside the
     * region: then each branch runs to the region's end, and the cond's result is the region's.
     * {@code insideJavaLoop}: the line of a Java loop the test sits in, which unrolls (0 if none).
     * {@code problem}: why the statement should not be staged (a heap write), or null.
     */
    record If(int call, int line, Region thenBranch, Region elseBranch, int merge, int[] outputs, int insideJavaLoop, String problem)
            implements SiteSpec {}

    /**
     * A staged {@code while}. {@code exits} starts with the header (where an iteration ends); the
     * others are where the loop can leave to. A {@code standard} loop tests at its header: the
     * condition is the straight code from {@code header} to the test, {@code body} the rest
     * ({@code negate}: the loop runs while the tensor is false; {@code normalExit}: where it goes when the
     * test fails; {@code breaks}: whether the body can also leave, so an exit index is carried). Otherwise the test is in the
     * middle (a tensor break in a {@code while (true)}): the first iteration finishes from the
     * test ({@code thenBranch}/{@code elseBranch}), then {@code iteration} repeats until an exit.
     * After the loop, each reachable exit continues as Java, or, when several are possible, in
     * {@code afterwards.get(k)} (null for an exit of the enclosing region), staged as conds.
     * {@code exitNotes}: the breaks and returns that leave it, for explain().
     */
    record Loop(int call, int line, boolean standard, int header, List<Integer> exits, Region body, boolean negate, int normalExit,
                boolean breaks, Region thenBranch, Region elseBranch, Region iteration, int[] loopVars, List<Integer> reachableExits,
                List<Region> afterwards, List<String> exitNotes, String problem) implements SiteSpec {}

    /** A test that cannot be staged; {@code problem} says why and what to write instead. */
    record Unconvertible(int call, int line, String problem) implements SiteSpec {}
}
