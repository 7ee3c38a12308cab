package dev.tfjit.codegen.llvm;

import dev.tfjit.runtime.ErrorDetails;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A run-time error whose message names run-time values, as the interpreter's messages for a bad
 * index do ({@code indices[1] = 7 is not in [0, 5)}). The site's message is a template with one
 * {@link ErrorDetails} placeholder per value; the values go to scratch slots reserved for this
 * site the first time it fires (so the first bad element in program order is the one reported,
 * as the interpreter reports it), and Java formats the template after the call.
 */
final class DetailedError {
    private DetailedError() {}

    /**
     * Sets the current node's error bit when the i1 {@code cond} holds, recording the i64
     * operands {@code values}; {@code message} builds the template from their placeholders.
     * Emits into the entry function (the scratch pointer lives there). Returns the site's id.
     */
    static int raiseIf(FunctionEmitter e, String cond, List<String> values, Function<List<String>, String> message) {
        long base = e.callScratch(Math.max(1, values.size()) * (long) Long.BYTES);
        List<String> slots = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) slots.add(ErrorDetails.slot(base + (long) i * Long.BYTES));
        int id = e.cx.errors.site(e.cx.node, message.apply(slots));
        IrFunction f = e.f;
        String fire = f.newLabel("err"), record = f.newLabel("err.record"), set = f.newLabel("err.set"), go = f.newLabel("err.end");
        f.line("br i1 " + cond + ", label %" + fire + ", label %" + go);
        f.block(fire);
        String bit = e.cx.errors.bit(f, id);
        String old = f.let("load i32, ptr " + e.cx.status);
        String fresh = f.let("icmp eq i32 " + f.let("and i32 " + old + ", " + bit) + ", 0");
        f.line("br i1 " + fresh + ", label %" + record + ", label %" + set);
        f.block(record);
        for (int i = 0; i < values.size(); i++) {
            String p = f.let("getelementptr inbounds i8, ptr %scratch, i64 " + (base + (long) i * Long.BYTES));
            f.line("store i64 " + values.get(i) + ", ptr " + p);
        }
        f.line("br label %" + set);
        f.block(set);
        f.line("store i32 " + f.let("or i32 " + f.let("load i32, ptr " + e.cx.status) + ", " + bit) + ", ptr " + e.cx.status);
        f.line("br label %" + go);
        f.block(go);
        return id;
    }

    /** The coordinates of row-major position {@code flat} (an i64 operand) in {@code dims}, as i64 operands. */
    static List<String> coordinates(IrFunction f, String flat, int[] dims) {
        String[] c = new String[dims.length];
        String rest = flat;
        for (int d = dims.length - 1; d >= 0; d--) {
            if (d == 0) {
                c[d] = rest;
            } else {
                c[d] = dims[d] == 0 ? "0" : f.let("urem i64 " + rest + ", " + dims[d]);
                rest = dims[d] == 0 ? "0" : f.let("udiv i64 " + rest + ", " + dims[d]);
            }
        }
        return List.of(c);
    }

    /** TF's {@code [1,2]} form of coordinates given as placeholders. */
    static String bracketed(List<String> parts, String separator) {
        return "[" + String.join(separator, parts) + "]";
    }
}
