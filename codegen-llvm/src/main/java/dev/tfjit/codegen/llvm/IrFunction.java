package dev.tfjit.codegen.llvm;

import java.util.function.Consumer;

/**
 * One LLVM function being written as text. Temporaries get fresh names; mutable locals
 * (loop counters, accumulators) are allocas in the entry block, which SROA turns into SSA
 * registers, so the emitters never have to place phi nodes themselves.
 */
public final class IrFunction {
    private final String header;
    private final StringBuilder allocas = new StringBuilder();
    private final StringBuilder body = new StringBuilder();
    private int counter;
    /**
     * While set, the access group ({@link IrModule#independentLoop}) that {@link Scalars} tags
     * element loads and stores with: accesses of a loop whose iterations touch different memory.
     */
    String accessGroup;

    /** {@code header} is the part before the body, e.g. {@code define i32 @f(ptr %a)}. */
    public IrFunction(String header) { this.header = header; }

    /** Emits {@code %tN = rhs} and returns {@code %tN}. */
    public String let(String rhs) {
        String name = "%t" + counter++;
        body.append("  ").append(name).append(" = ").append(rhs).append('\n');
        return name;
    }

    public void line(String instruction) { body.append("  ").append(instruction).append('\n'); }

    public String newLabel(String hint) { return hint + "." + counter++; }

    /** Starts a basic block; the previous one must have ended with a terminator. */
    public void block(String label) { body.append(label).append(":\n"); }

    /** A stack slot of {@code type} in the entry block. */
    public String alloca(String type) {
        String name = "%slot" + counter++;
        allocas.append("  ").append(name).append(" = alloca ").append(type).append(", align 16\n");
        return name;
    }

    /** Emits {@code for (i = 0; i < count; i++) body(i)} with an i64 counter. */
    public void forLoop(String count, Consumer<String> loopBody) {
        forRange("0", count, loopBody);
    }

    /** Emits {@code for (i = from; i < to; i++) body(i)} with an i64 counter. */
    public void forRange(String from, String to, Consumer<String> loopBody) { forRange(from, to, loopBody, ""); }

    /** {@link #forLoop} with {@code backEdge} (loop metadata, see {@link IrModule#vectorizeBeforeUnroll}) on its latch branch. */
    void forLoop(String count, Consumer<String> loopBody, String backEdge) { forRange("0", count, loopBody, backEdge); }

    /** {@link #forRange} with {@code backEdge} (loop metadata) on its latch branch. */
    void forRange(String from, String to, Consumer<String> loopBody, String backEdge) {
        String slot = alloca("i64");
        String head = newLabel("loop"), inner = newLabel("body"), exit = newLabel("done");
        line("store i64 " + from + ", ptr " + slot);
        line("br label %" + head);
        block(head);
        String i = let("load i64, ptr " + slot);
        String more = let("icmp slt i64 " + i + ", " + to);
        line("br i1 " + more + ", label %" + inner + ", label %" + exit);
        block(inner);
        loopBody.accept(i);
        String next = let("add nuw nsw i64 " + i + ", 1");
        line("store i64 " + next + ", ptr " + slot);
        line("br label %" + head + backEdge);
        block(exit);
    }

    /** Emits {@code if (cond) then()} where cond is an i1. */
    public void ifThen(String cond, Runnable then) {
        String yes = newLabel("then"), after = newLabel("endif");
        line("br i1 " + cond + ", label %" + yes + ", label %" + after);
        block(yes);
        then.run();
        line("br label %" + after);
        block(after);
    }

    public String text() {
        return header + " {\nentry:\n" + allocas + "  br label %start\nstart:\n" + body + "}\n";
    }
}
