package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.InvalidArgumentError;

import java.util.EnumSet;
import java.util.Set;

/** The intermediate forms {@code tfjit compile --emit} writes beside an artifact, one set of files per entry point. */
public enum AotEmit {
    /** {@code <name>.<k>.traced.ir}: the graph as traced, before any pass. */
    IR("ir"),
    /** {@code <name>.<k>.ir}: the graph compiled (simplified, variables handled); {@code AotFunction.Entry.graph()} reads it. */
    OPTIMIZED_IR("optimized-ir"),
    /**
     * {@code <name>.<k>.ll} as generated, {@code <name>.<k>.opt.ll} after LLVM's O3 pipeline, and for
     * CPU targets {@code <name>.<k>.fusion.txt}: the backend's fusion and buffer decisions ({@link FusionReport}).
     */
    LLVM("llvm"),
    /** {@code <name>.<k>.s}: the machine code as assembly. */
    ASM("asm"),
    /** {@code <name>.<k>.ptx}: GPU targets only. */
    PTX("ptx"),
    /** {@code <name>.<k>.dot}: Graphviz of the compiled graph. */
    DOT("dot");

    public final String flag;

    AotEmit(String flag) { this.flag = flag; }

    public static final String CHOICES = "ir, optimized-ir, llvm, asm, ptx, dot";

    /** Parses {@code ir,llvm,...}; an unknown form is an error listing the choices. */
    public static Set<AotEmit> parse(String list) {
        Set<AotEmit> out = EnumSet.noneOf(AotEmit.class);
        for (String s : list.split(",")) {
            String t = s.strip();
            if (t.isEmpty()) continue;
            AotEmit found = null;
            for (AotEmit e : values()) if (e.flag.equals(t)) found = e;
            if (found == null) throw new InvalidArgumentError("unknown --emit form '" + t + "'; choose from " + CHOICES);
            out.add(found);
        }
        return out;
    }
}
