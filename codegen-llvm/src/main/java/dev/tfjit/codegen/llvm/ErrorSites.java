package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.TfException;

import java.util.ArrayList;
import java.util.List;

/**
 * The run-time errors a compiled function can raise (integer division by zero, negative
 * integer powers). Native code cannot throw, so each site owns a bit of a status word that the
 * entry point returns; Java then throws the error of the lowest set bit, which is the first
 * site in program order, as the interpreter would have.
 */
final class ErrorSites {
    /** Bits 0..30 name one site each; later sites share bit 30. */
    private static final int LAST_BIT = 30;

    private record Site(Node node, String message) {}

    private final List<Site> sites = new ArrayList<>();

    /** Registers a site and returns its bit. */
    int site(Node node, String message) {
        for (int i = 0; i < sites.size() && i <= LAST_BIT; i++) {
            if (sites.get(i).node() == node && sites.get(i).message().equals(message)) return 1 << i;
        }
        sites.add(new Site(node, message));
        return 1 << Math.min(sites.size() - 1, LAST_BIT);
    }

    /** The error a non-zero status stands for, located at its node like the interpreter's. */
    TfException error(int status) {
        int i = Integer.numberOfTrailingZeros(status);
        Site s = sites.get(i);
        return new InvalidArgumentError(s.message()).in(s.node().op().name(), s.node().location());
    }
}
