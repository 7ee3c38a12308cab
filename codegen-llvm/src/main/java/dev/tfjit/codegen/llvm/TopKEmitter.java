package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.ops.LinalgOps;

import java.util.function.Supplier;

/**
 * {@code top_k} and {@code in_top_k} over the last dim. top_k orders each row's indices by a
 * stable sort, largest key first (keys widened as the interpreter widens them: flushed floats
 * in double, NaN above every number, {@code -0.0} equal to {@code 0.0}; integers in i64), and
 * takes the first k; a stable sort under that order is unique, so the bottom-up merge sort here
 * gives exactly the permutation of the interpreter's {@code IndexSort}. in_top_k counts the
 * predictions strictly above the target's, as TF's kernel does.
 */
final class TopKEmitter {
    private TopKEmitter() {}

    static boolean lowers(OpDef op) { return op == LinalgOps.TOP_K || op == LinalgOps.IN_TOP_K; }

    static void emit(FunctionEmitter e, Node n) {
        if (n.op() == LinalgOps.TOP_K) topK(e, n);
        else inTopK(e, n);
    }

    private static void topK(FunctionEmitter e, Node n) {
        IrFunction f = e.f;
        Value x = n.inputs().get(0), values = n.outputs().get(0), indices = n.outputs().get(1);
        Shape s = e.types.shape(x), os = e.types.shape(values);
        int k = os.dim(-1), cols = s.dim(-1);
        if (os.numElements() == 0) return;
        long rows = s.numElements() / cols;
        DType t = x.dtype();
        boolean floating = t.isFloating();
        String keyType = floating ? "double" : "i64";
        String keys = e.scratch(cols * 8L), order = e.scratch(cols * 4L), tmp = e.scratch(cols * 4L);
        String sort = sortHelper(e, floating);
        String in = ViewCopy.address(e, x), vals = e.pointer(values), ids = e.pointer(indices);
        String ty = ViewCopy.bitsType(t);
        f.forLoop(Long.toString(rows), r -> {
            String base = f.let("mul nsw i64 " + r + ", " + cols);
            f.forLoop(Integer.toString(cols), i -> {
                Reg v = Scalars.load(f, t, in, f.let("add nsw i64 " + base + ", " + i), true);
                String key = switch (v.type()) {
                    case F32 -> f.let("fpext float " + v.name() + " to double");
                    case I32 -> f.let("sext i32 " + v.name() + " to i64");
                    default -> v.name();
                };
                f.line("store " + keyType + " " + key + ", ptr " + ViewCopy.at(f, keyType, keys, i));
            });
            String sorted = f.let("call ptr " + sort + "(ptr " + keys + ", ptr " + order + ", ptr " + tmp + ", i64 " + cols + ")");
            String outBase = f.let("mul nsw i64 " + r + ", " + k);
            f.forLoop(Integer.toString(k), j -> {
                String id = f.let("load i32, ptr " + ViewCopy.at(f, "i32", sorted, j));
                String from = f.let("add nsw i64 " + base + ", " + f.let("sext i32 " + id + " to i64"));
                String to = f.let("add nsw i64 " + outBase + ", " + j);
                String v = f.let("load " + ty + ", ptr " + ViewCopy.at(f, ty, in, from));
                f.line("store " + ty + " " + v + ", ptr " + ViewCopy.at(f, ty, vals, to));
                f.line("store i32 " + id + ", ptr " + ViewCopy.at(f, "i32", ids, to));
            });
        });
    }

    /**
     * {@code ptr sort(ptr keys, ptr order, ptr tmp, i64 n)}: fills order with 0..n-1, merge-sorts
     * it stably by descending key (runs of width 1, 2, 4, ... alternating between the two index
     * arrays) and returns the array holding the result.
     */
    private static String sortHelper(FunctionEmitter e, boolean floating) {
        String name = e.helperName("topk_sort");
        String kt = floating ? "double" : "i64";
        IrFunction h = new IrFunction("define internal ptr " + name + "(ptr %keys, ptr %order, ptr %tmp, i64 %n)");
        h.forLoop("%n", i -> h.line("store i32 " + h.let("trunc i64 " + i + " to i32") + ", ptr " + ViewCopy.at(h, "i32", "%order", i)));
        String width = h.alloca("i64"), src = h.alloca("ptr"), dst = h.alloca("ptr");
        h.line("store i64 1, ptr " + width);
        h.line("store ptr %order, ptr " + src);
        h.line("store ptr %tmp, ptr " + dst);
        loop(h, () -> h.let("icmp slt i64 " + h.let("load i64, ptr " + width) + ", %n"), () -> {
            String w = h.let("load i64, ptr " + width);
            String from = h.let("load ptr, ptr " + src), to = h.let("load ptr, ptr " + dst);
            String lo = h.alloca("i64");
            h.line("store i64 0, ptr " + lo);
            loop(h, () -> h.let("icmp slt i64 " + h.let("load i64, ptr " + lo) + ", %n"), () -> {
                String l = h.let("load i64, ptr " + lo);
                String mid = min(h, h.let("add nsw i64 " + l + ", " + w), "%n");
                String hi = min(h, h.let("add nsw i64 " + mid + ", " + w), "%n");
                merge(h, kt, from, to, l, mid, hi);
                h.line("store i64 " + h.let("add nsw i64 " + l + ", " + h.let("shl i64 " + w + ", 1")) + ", ptr " + lo);
            });
            h.line("store ptr " + to + ", ptr " + src);
            h.line("store ptr " + from + ", ptr " + dst);
            h.line("store i64 " + h.let("shl i64 " + w + ", 1") + ", ptr " + width);
        });
        h.line("ret ptr " + h.let("load ptr, ptr " + src));
        e.module.add(h);
        return name;
    }

    /** Merges the sorted index runs {@code from[lo, mid)} and {@code from[mid, hi)} into {@code to[lo, hi)}, left first on ties. */
    private static void merge(IrFunction h, String kt, String from, String to, String lo, String mid, String hi) {
        String i = h.alloca("i64"), j = h.alloca("i64");
        h.line("store i64 " + lo + ", ptr " + i);
        h.line("store i64 " + mid + ", ptr " + j);
        String lastLeft = h.let("sub nsw i64 " + mid + ", 1"), lastRight = h.let("sub nsw i64 " + hi + ", 1");
        h.forRange(lo, hi, o -> {
            String a = h.let("load i64, ptr " + i), b = h.let("load i64, ptr " + j);
            String leftDone = h.let("icmp sge i64 " + a + ", " + mid), rightLeft = h.let("icmp slt i64 " + b + ", " + hi);
            // Clamped positions keep both loads in range when a run is exhausted; the selects ignore them then.
            String ia = h.let("load i32, ptr " + ViewCopy.at(h, "i32", from, min(h, a, lastLeft)));
            String ib = h.let("load i32, ptr " + ViewCopy.at(h, "i32", from, min(h, b, h.let("select i1 " + rightLeft + ", i64 " + b + ", i64 " + lastRight))));
            String ka = h.let("load " + kt + ", ptr " + ViewCopy.at(h, kt, "%keys", h.let("sext i32 " + ia + " to i64")));
            String kb = h.let("load " + kt + ", ptr " + ViewCopy.at(h, kt, "%keys", h.let("sext i32 " + ib + " to i64")));
            String rightFirst = h.let("and i1 " + rightLeft + ", " + h.let("or i1 " + leftDone + ", " + before(h, kt, kb, ka)));
            h.line("store i32 " + h.let("select i1 " + rightFirst + ", i32 " + ib + ", i32 " + ia) + ", ptr " + ViewCopy.at(h, "i32", to, o));
            h.line("store i64 " + h.let("add nsw i64 " + b + ", " + h.let("zext i1 " + rightFirst + " to i64")) + ", ptr " + j);
            h.line("store i64 " + h.let("add nsw i64 " + a + ", " + h.let("zext i1 " + h.let("xor i1 " + rightFirst + ", true") + " to i64")) + ", ptr " + i);
        });
    }

    /** IndexSort.before: key x strictly before key y (larger, or NaN over a number). */
    private static String before(IrFunction h, String kt, String x, String y) {
        if (kt.equals("i64")) return h.let("icmp sgt i64 " + x + ", " + y);
        String greater = h.let("fcmp ogt double " + x + ", " + y);
        String nanOverNumber = h.let("and i1 " + h.let("fcmp uno double " + x + ", " + x) + ", " + h.let("fcmp ord double " + y + ", " + y));
        return h.let("or i1 " + greater + ", " + nanOverNumber);
    }

    private static String min(IrFunction h, String a, String b) {
        return h.let("select i1 " + h.let("icmp slt i64 " + a + ", " + b) + ", i64 " + a + ", i64 " + b);
    }

    /** {@code while (cond()) body()}. */
    private static void loop(IrFunction h, Supplier<String> cond, Runnable body) {
        String head = h.newLabel("while"), inner = h.newLabel("while.body"), exit = h.newLabel("while.end");
        h.line("br label %" + head);
        h.block(head);
        h.line("br i1 " + cond.get() + ", label %" + inner + ", label %" + exit);
        h.block(inner);
        body.run();
        h.line("br label %" + head);
        h.block(exit);
    }

    private static void inTopK(FunctionEmitter e, Node n) {
        IrFunction f = e.f;
        Value predictions = n.inputs().get(0), targets = n.inputs().get(1), out = n.output();
        Shape ps = e.types.shape(predictions);
        int batch = ps.dim(0), classes = ps.dim(1);
        if (batch == 0) return;
        long k = n.attrs().getLong("k");
        String p = ViewCopy.address(e, predictions), dst = e.pointer(out);
        String count = f.alloca("i64");
        f.forLoop(Integer.toString(batch), b -> {
            String id = GatherEmitter.index(e, targets, b);
            String valid = f.let("icmp ult i64 " + id + ", " + classes); // unsigned: negative ids are out of range
            String row = f.let("mul nsw i64 " + b + ", " + classes);
            String at = f.let("add nsw i64 " + row + ", " + f.let("select i1 " + valid + ", i64 " + id + ", i64 0"));
            Reg target = Scalars.load(f, DType.FLOAT32, p, at, false);
            String finite = f.let("fcmp olt float " + f.let("call float @llvm.fabs.f32(float " + target.name() + ")") + ", 0x7FF0000000000000");
            f.line("store i64 0, ptr " + count);
            f.forLoop(Integer.toString(classes), j -> {
                Reg v = Scalars.load(f, DType.FLOAT32, p, f.let("add nsw i64 " + row + ", " + j), false);
                String larger = f.let("zext i1 " + f.let("fcmp ogt float " + v.name() + ", " + target.name()) + " to i64");
                f.line("store i64 " + f.let("add nsw i64 " + f.let("load i64, ptr " + count) + ", " + larger) + ", ptr " + count);
            });
            String in = f.let("icmp slt i64 " + f.let("load i64, ptr " + count) + ", " + k);
            String result = f.let("and i1 " + f.let("and i1 " + valid + ", " + finite) + ", " + in);
            Scalars.store(f, DType.BOOL, new Reg(result, ComputeType.BOOL), dst, b);
        });
    }
}
