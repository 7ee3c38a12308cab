package dev.tfjit.autograph;

import java.util.Collection;
import java.util.List;

/**
 * A piece of a method that runs as its own function while staging: the code reachable from
 * {@code entry} (an instruction index of the analysed method) without reaching one of
 * {@code exits}. Leaving through exit k ends the piece with "exit k" and the locals live there;
 * a region without exits runs to a {@code return} (it is a tail of the method). A loop
 * iteration starts at the loop header and ends when it comes back to it, so its entry is also
 * one of its exits.
 */
record Region(int entry, List<Integer> exits, boolean iteration) {

    static Region of(int entry, Collection<Integer> exits, boolean iteration) {
        return new Region(entry, exits.stream().distinct().sorted().toList(), iteration);
    }

    /** Ends with a returned value rather than at an exit. */
    boolean returning() { return exits.isEmpty(); }

    /** Starts at one of its exits: it does nothing and leaves there. */
    boolean immediateExit() { return !iteration && exits.contains(entry); }

    int exitIndex(int target) { return exits.indexOf(target); }
}
