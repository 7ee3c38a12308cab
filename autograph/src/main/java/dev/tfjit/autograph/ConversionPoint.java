package dev.tfjit.autograph;

import org.objectweb.asm.tree.LabelNode;

import java.util.BitSet;

/**
 * A {@code Tensor.booleanValue()} test in a method's bytecode and the Java statement it controls.
 * Regions are instruction index ranges [from, to) of the analysed method.
 */
sealed interface ConversionPoint {
    /** Index of the {@code booleanValue} call. */
    int call();

    /**
     * {@code if}: the fall-through region runs when the jump is not taken; the jump region starts
     * at the jump target (empty for an if without else); both continue at {@code end}.
     * {@code jumpsWhenTrue}: the jump is IFNE, so the fall-through region is the else branch.
     */
    record If(int call, boolean jumpsWhenTrue, int fallFrom, int fallTo, int jumpFrom, int jumpTo, LabelNode end, BitSet carried)
            implements ConversionPoint {}

    /**
     * {@code while}: the condition runs from {@code head} to the call, the body up to the back jump.
     * A body ending in {@code if (t.booleanValue()) break;} has {@code breakCall} at that test
     * (else -1) and stops before it; {@code breakNegate}: the break runs when the tensor is false.
     */
    record While(int call, boolean negate, LabelNode head, int bodyFrom, int bodyTo, LabelNode exit, BitSet carried,
                 int breakCall, boolean breakNegate) implements ConversionPoint {}

    /**
     * {@code if (t) return a; ...; return b;}: the fall-through region ends in a return, and the
     * rest of the method from the jump target on is the other branch; each returns the value.
     */
    record Return(int call, boolean jumpsWhenTrue, int fallFrom, int fallTo, int restFrom, int restTo) implements ConversionPoint {}

    /** A test that cannot be staged; {@code problem} says why, with what the user can do. */
    record Unconvertible(int call, String problem) implements ConversionPoint {}
}
