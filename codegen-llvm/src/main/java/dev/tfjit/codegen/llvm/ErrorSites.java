package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TfException;
import dev.tfjit.runtime.ErrorDetails;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run-time errors a compiled function can raise (integer division by zero, negative
 * integer powers, indices out of range). Native code cannot throw, so each site owns a bit of
 * a status word that the entry point returns; Java then throws the error of the lowest set bit,
 * which is the first site in program order, as the interpreter would have.
 *
 * <p>Sites are registered as code is emitted, which is not program order once fusion emits a
 * producer inside a later consumer's loop. So for a graph given to {@link #within}, emitted
 * code reads a site's bit from a private constant global whose value {@link #finish} fixes at
 * the end, numbering the sites in program order (the loads fold away when the module is
 * optimized); otherwise bits are numbered as sites are registered.
 *
 * <p>Sites are kept as op name, location and message (not nodes) so that the kernel cache can
 * store them beside the object code and a later JVM raises the very same errors.
 */
public final class ErrorSites {
    /** Bits 0..30 name one site each; later sites share bit 30. */
    private static final int LAST_BIT = 30;

    /** {@code node} identifies the site while emitting; it is null for sites read back from a cache entry. */
    public record Site(Node node, String op, SourceLocation location, String message, String raw) {
        public Site(Node node, String op, SourceLocation location, String message) { this(node, op, location, message, message); }
    }

    /** In registration order while emitting; in bit order after {@link #finish} and when read back. */
    private final List<Site> sites = new ArrayList<>();
    /** The while or cond node whose region holds each nested node. */
    private final Map<Node, Node> enclosing = new IdentityHashMap<>();
    /** Each node's position in the interpreter's execution order (a pre-order walk of the graph). */
    private final Map<Node, Integer> order = new IdentityHashMap<>();
    /** Whether bits are numbered at {@link #finish} (a graph was given) rather than as registered. */
    private boolean deferred;
    private boolean finished;

    /**
     * Records the graph's nesting and program order, so that errors inside regions are located
     * and ordered as the interpreter locates and orders them.
     */
    public void within(Graph g) {
        deferred = true;
        nest(g.body(), null);
    }

    private void nest(Block b, Node parent) {
        for (Node n : b.nodes()) {
            order.put(n, order.size());
            if (parent != null) enclosing.put(n, parent);
            for (Block r : n.regions()) nest(r, n);
        }
    }

    /** The global holding the bit of site {@code id} (as {@link #site} returned it). */
    private static String global(int id) { return "@tfjit.errbit." + id; }

    /** Site {@code id}'s bit as an i32 operand in {@code f}: a literal, or a load of its global when numbered at the end. */
    public String bit(IrFunction f, int id) {
        return deferred ? f.let("load i32, ptr " + global(id)) : Integer.toString(1 << Math.min(id, LAST_BIT));
    }

    /**
     * Numbers the sites in program order (registration order among sites of one node) and
     * returns the definitions of their bit globals, for the module.
     */
    public String finish() {
        if (finished) throw new IllegalStateException("error sites already finished");
        finished = true;
        if (!deferred) return "";
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) ids.add(i);
        ids.sort(java.util.Comparator.comparingInt(i -> order.getOrDefault(sites.get(i).node(), Integer.MAX_VALUE)));
        StringBuilder globals = new StringBuilder();
        List<Site> ordered = new ArrayList<>();
        for (int position = 0; position < ids.size(); position++) {
            int id = ids.get(position);
            ordered.add(sites.get(id));
            globals.append(global(id)).append(" = private unnamed_addr constant i32 ").append(1 << Math.min(position, LAST_BIT)).append('\n');
        }
        sites.clear();
        sites.addAll(ordered);
        return globals.toString();
    }

    /**
     * Registers a site and returns its id, whose bit {@link #bit} gives. The interpreter prefixes an error with its op and
     * appends its location, then once more for each enclosing while/cond unless the message
     * already starts with that op's name; all but the outermost of these are folded into the
     * stored message, the outermost is the site's op and location.
     */
    public int site(Node node, String message) {
        if (finished) throw new IllegalStateException("error sites already finished");
        for (int i = 0; i < sites.size(); i++) {
            if (sites.get(i).node() == node && sites.get(i).raw().equals(message)) return i;
        }
        Node at = node;
        String text = message;
        for (Node outer = enclosing.get(node); outer != null; outer = enclosing.get(outer)) {
            String located = located(at, text);
            if (located.startsWith(outer.op().name() + ": ")) continue; // the interpreter rethrows it unchanged
            text = located;
            at = outer;
        }
        sites.add(new Site(node, at.op().name(), at.location(), text, message));
        return sites.size() - 1;
    }

    /** {@code TfException.in}'s message: {@code op: message (at location)}. */
    private static String located(Node n, String message) {
        return new InvalidArgumentError(message).in(n.op().name(), n.location()).getMessage();
    }

    /**
     * The error a non-zero status stands for, located at its node like the interpreter's; the
     * run-time values its message names are read from the call's {@code scratch} block
     * ({@link ErrorDetails}), which must still be alive.
     */
    TfException error(int status, MemorySegment scratch) {
        int i = Integer.numberOfTrailingZeros(status);
        Site s = sites.get(i);
        // (a bit beyond the last site cannot be set: every emitted bit belongs to a site)
        return new InvalidArgumentError(ErrorDetails.format(s.message(), scratch)).in(s.op(), s.location());
    }

    /** The sites in bit order (the AOT manifest lists them for a loader without this class). */
    public List<Site> sites() { return List.copyOf(sites); }

    /** Writes the sites for {@link #read}; the nodes stay behind. */
    void write(DataOutput out) throws IOException {
        out.writeInt(sites.size());
        for (Site s : sites) {
            out.writeUTF(s.op());
            boolean known = s.location() != null && s.location() != SourceLocation.UNKNOWN;
            out.writeBoolean(known);
            if (known) {
                out.writeUTF(s.location().file());
                out.writeInt(s.location().line());
            }
            out.writeUTF(s.message());
        }
    }

    static ErrorSites read(DataInput in) throws IOException {
        ErrorSites e = new ErrorSites();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String op = in.readUTF();
            SourceLocation loc = in.readBoolean() ? new SourceLocation(in.readUTF(), in.readInt()) : SourceLocation.UNKNOWN;
            e.sites.add(new Site(null, op, loc, in.readUTF()));
        }
        return e;
    }
}
