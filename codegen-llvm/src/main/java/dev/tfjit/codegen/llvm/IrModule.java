package dev.tfjit.codegen.llvm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A module being written as text: named globals, declarations and helper functions (each added
 * once, by name) and the functions that use them.
 */
public final class IrModule {
    private final Map<String, String> helpers = new LinkedHashMap<>();
    /** Private constants; shared with {@link #sibling() siblings}, so any part of a function may read any of them. */
    private final List<String> globals;
    private final List<IrFunction> functions = new ArrayList<>();
    /** Numbered metadata nodes ({@code !N = ...}), N being the index. */
    private final List<String> metadata = new ArrayList<>();

    public IrModule() { this(new ArrayList<>()); }

    private IrModule(List<String> globals) { this.globals = globals; }

    /**
     * Another module for a later part of the same function ({@link FunctionEmitter}'s parts,
     * compiled in parallel): it has its own helpers, functions and metadata, and every
     * constant of this one (each module gets a private copy; unread copies are dropped by the optimizer).
     */
    IrModule sibling() { return new IrModule(globals); }

    /** Adds {@code text} (a declaration or a whole function) unless {@code name} is already there. */
    public void helper(String name, String text) { helpers.putIfAbsent(name, text); }

    /** Whether a helper of this name was added. */
    boolean has(String name) { return helpers.containsKey(name); }

    /** A private constant holding {@code bytes}; returns its symbol. */
    String constantBytes(byte[] bytes) {
        String name = "@const" + globals.size();
        StringBuilder sb = new StringBuilder(bytes.length * 3 + 80);
        sb.append(name).append(" = private unnamed_addr constant [").append(bytes.length).append(" x i8] c\"");
        for (byte b : bytes) sb.append('\\').append(Character.toUpperCase(Character.forDigit((b >> 4) & 15, 16)))
                .append(Character.toUpperCase(Character.forDigit(b & 15, 16)));
        sb.append("\", align 64");
        globals.add(sb.toString());
        return name;
    }

    public void add(IrFunction f) { functions.add(f); }

    private String nontemporal;

    /**
     * Metadata for a loop whose iterations read and write different memory (an elementwise
     * kernel: its output is a buffer no input shares): returns the access group to tag the
     * loop's loads and stores with ({@link IrFunction#accessGroup}) and the suffix for its latch
     * branch. The vectorizer then needs no run-time overlap checks and no scalar fallback loop,
     * which halves the code LLVM optimizes for such a kernel. The vector loop is not unrolled
     * either: its iterations are independent, so the core overlaps them anyway, and unrolling
     * every such loop made a third of the optimizer's and code generator's time.
     */
    String[] independentLoop() {
        int base = metadata.size();
        metadata.add("!" + base + " = distinct !{}");
        metadata.add("!" + (base + 1) + " = distinct !{!" + (base + 1) + ", !" + (base + 2) + ", !" + (base + 3) + "}");
        metadata.add("!" + (base + 2) + " = !{!\"llvm.loop.parallel_accesses\", !" + base + "}");
        metadata.add("!" + (base + 3) + " = !{!\"llvm.loop.unroll.disable\"}");
        return new String[] {"!" + base, ", !llvm.loop !" + (base + 1)};
    }
    /**
     * The suffix that makes a store non-temporal (streaming: it bypasses the caches and skips
     * reading the line it overwrites), for outputs far larger than the caches.
     */
    String nontemporal() {
        if (nontemporal == null) {
            nontemporal = "!" + metadata.size();
            metadata.add(nontemporal + " = !{i32 1}");
        }
        return ", !nontemporal " + nontemporal;
    }

    /**
     * Loop metadata for a loop the vectorizer must handle before any unrolling: a loop over
     * lanes that full unrolling would otherwise turn into scalars early, which the SLP vectorizer
     * then packs poorly. Unrolling is disabled until the loop is vectorized; the vector loop
     * then asks to be unrolled fully, so its accumulators are kept in registers (and a forced
     * vectorization's scalar remainder, if any, too). Returns the suffix for the loop's back-edge branch.
     */
    String vectorizeBeforeUnroll() { return vectorizeBeforeUnroll(null); }

    /**
     * {@link #vectorizeBeforeUnroll()} for a loop whose iterations touch different memory through
     * the accesses tagged with {@code group} ({@link #accessGroup}; null for none): the
     * vectorizer needs no run-time overlap checks, nor the scalar loop they would fall back to.
     */
    String vectorizeBeforeUnroll(String group) {
        int base = metadata.size();
        String self = "!" + base;
        String parallel = group == null ? "" : ", !" + (base + 6);
        metadata.add(self + " = distinct !{" + self + ", !" + (base + 1) + ", !" + (base + 2) + ", !" + (base + 3) + parallel + "}");
        metadata.add("!" + (base + 1) + " = !{!\"llvm.loop.unroll.disable\"}");
        metadata.add("!" + (base + 2) + " = !{!\"llvm.loop.vectorize.enable\", i1 true}");
        metadata.add("!" + (base + 3) + " = !{!\"llvm.loop.vectorize.followup_all\", !" + (base + 4) + ", !" + (base + 5) + "}");
        metadata.add("!" + (base + 4) + " = !{!\"llvm.loop.isvectorized\", i32 1}");
        metadata.add("!" + (base + 5) + " = !{!\"llvm.loop.unroll.full\"}");
        if (group != null) metadata.add("!" + (base + 6) + " = !{!\"llvm.loop.parallel_accesses\", " + group + "}");
        return ", !llvm.loop " + self;
    }

    /** A fresh access group for {@link IrFunction#accessGroup} and {@link #vectorizeBeforeUnroll(String)}. */
    String accessGroup() {
        String group = "!" + metadata.size();
        metadata.add(group + " = distinct !{}");
        return group;
    }

    /** The suffix for a loop's back-edge branch that unrolls the loop {@code times} times. */
    String unrolled(int times) {
        int base = metadata.size();
        metadata.add("!" + base + " = distinct !{!" + base + ", !" + (base + 1) + "}");
        metadata.add("!" + (base + 1) + " = !{!\"llvm.loop.unroll.count\", i32 " + times + "}");
        return ", !llvm.loop !" + base;
    }

    public String text(String header) {
        StringBuilder sb = new StringBuilder(header);
        for (String g : globals) sb.append(g).append('\n');
        sb.append('\n');
        for (String h : helpers.values()) sb.append(h).append('\n');
        for (IrFunction f : functions) sb.append(f.text()).append('\n');
        for (String m : metadata) sb.append(m).append('\n');
        return sb.toString();
    }
}
