package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ArrayOps;
import dev.tfjit.ir.ops.ControlFlowOps;
import dev.tfjit.ir.ops.TensorArrayOps;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Dynamically sized TensorArrays in native code ({@link GrowableTypes}): each growable value
 * lives in a {@link Home.Growable}, a descriptor {@code {ptr data, i64 count, i64 capacity}} in
 * the scratch block whose elements are in memory from the C allocator, grown by doubling
 * ({@code realloc}). Every descriptor is cleared when the call starts and its memory freed when
 * the call ends, whatever happened in between, so nothing outlives the call but the arrays it
 * returns: those are handed to Java through the result's slot ({@link GrowableResults}), which
 * copies and frees them. Sizes are checked before any byte moves: indices against the run-time
 * count (with the interpreter's messages and run-time values, {@link DetailedError}), counts
 * against {@link GrowableTypes#MAX_COUNT}, allocations against null; after a failure nothing
 * grows and nothing is written.
 *
 * <p>A write updates its input's memory when the input is never read again
 * ({@link InPlaceWrites}), so a loop that pushes one element per iteration (the forward pass of
 * a while loop's gradient, keeping each iteration's values) costs amortized O(1) per push.
 * Element bytes move raw, never flushed, as the interpreter moves them.
 */
final class GrowableArrays {
    private static final int DESCRIPTOR_BYTES = 24;
    private static final String DECLARATIONS = "declare noalias ptr @malloc(i64)\ndeclare ptr @realloc(ptr, i64)\ndeclare void @free(ptr)";

    private final FunctionEmitter e;
    private final Graph graph;
    private final boolean any;
    private final List<Home.Growable> descriptors = new ArrayList<>();
    /** The result slot each returned descriptor gave its memory to. */
    private final Map<Home.Growable, Integer> handedOver = new HashMap<>();
    private InPlaceWrites inPlace;
    private String init, release;

    GrowableArrays(FunctionEmitter e, Graph g) {
        this.e = e;
        this.graph = g;
        this.any = anyGrowable(g.body());
    }

    private boolean anyGrowable(Block b) {
        for (Value p : b.params()) if (isGrowable(p)) return true;
        for (Node n : b.nodes()) {
            for (Value v : n.outputs()) if (isGrowable(v)) return true;
            for (Block r : n.regions()) if (anyGrowable(r)) return true;
        }
        return false;
    }

    /** Whether the graph has any dynamically sized TensorArray. */
    boolean any() { return any; }

    boolean isGrowable(Value v) { return GrowableTypes.isGrowable(e.types.of(v)); }

    /** Whether {@code n} is lowered here: an op other than while/cond that reads or makes a growable value. */
    boolean handles(Node n) {
        if (!any || n.op() == ControlFlowOps.WHILE || n.op() == ControlFlowOps.COND) return false;
        for (Value v : n.inputs()) if (isGrowable(v)) return true;
        for (Value v : n.outputs()) if (isGrowable(v)) return true;
        return false;
    }

    /** A fresh descriptor for a growable value. */
    Home.Growable newHome() {
        Home.Growable h = new Home.Growable(e.callScratch(DESCRIPTOR_BYTES));
        descriptors.add(h);
        return h;
    }

    // ------------------------------------------------------------ the call's lifetime

    /** At the start of the entry function: clears every descriptor (the scratch block is reused between calls). */
    void begin() {
        if (!any) return;
        init = e.helperName("arrays_init");
        release = e.helperName("arrays_free");
        e.f.line("call void " + init + "(ptr %scratch)");
    }

    /** Before the entry function returns: frees every descriptor's memory, and defines the two helpers. */
    void end() {
        if (!any) return;
        e.f.line("call void " + release + "(ptr %scratch)");
        e.module.helper("malloc", DECLARATIONS);
        IrFunction clear = new IrFunction("define internal void " + init + "(ptr noalias %scratch)");
        IrFunction free = new IrFunction("define internal void " + release + "(ptr noalias %scratch)");
        for (Home.Growable h : descriptors) {
            clear.line("call void @llvm.memset.p0.i64(ptr " + at(clear, h, 0) + ", i8 0, i64 " + DESCRIPTOR_BYTES + ", i1 false)");
            free.line("call void @free(ptr " + free.let("load ptr, ptr " + at(free, h, 0)) + ")");
        }
        clear.line("ret void");
        free.line("ret void");
        e.module.helper("memset", Sgemm.MEMSET);
        e.module.add(clear);
        e.module.add(free);
    }

    /**
     * Result {@code j} is growable: its slot points at a {@code {ptr, i64}} that receives the
     * elements' memory and count, now owned by the caller. The descriptor gives its memory up;
     * a value returned twice is copied for its second slot.
     */
    void handOver(int j, Value v) {
        IrFunction f = e.f;
        Home.Growable h = (Home.Growable) e.home(v);
        String slot = "%res" + j, countSlot = f.let("getelementptr inbounds i8, ptr " + slot + ", i64 8");
        String count = count(h);
        Integer first = handedOver.get(h);
        if (first == null) {
            handedOver.put(h, j);
            f.line("store ptr " + data(h) + ", ptr " + slot);
            f.line("store i64 " + count + ", ptr " + countSlot);
            f.line("store ptr null, ptr " + at(f, h, 0));
            f.line("store i64 0, ptr " + at(f, h, 2));
            return;
        }
        // The elements now belong to the first slot: copy them from there.
        String elements = f.let("load ptr, ptr %res" + first);
        String bytes = f.let("mul nuw nsw i64 " + count + ", " + elementBytes(e.types.of(v)));
        e.module.helper("malloc", DECLARATIONS);
        e.module.helper("umax", "declare i64 @llvm.umax.i64(i64, i64)");
        String copy = f.let("call ptr @malloc(i64 " + f.let("call i64 @llvm.umax.i64(i64 " + bytes + ", i64 1)") + ")");
        f.line("store ptr " + copy + ", ptr " + slot);
        f.line("store i64 " + count + ", ptr " + countSlot); // Java reports a null copy of a non-empty array as out of memory
        f.ifThen(f.let("icmp ne ptr " + copy + ", null"), () -> memcpy(copy, elements, bytes));
    }

    // ------------------------------------------------------------ copies (while, cond)

    /** Stores the value {@code src} holds (of type {@code t}) into growable {@code dst}. */
    void copy(Home dst, Home src, TensorType t) {
        if (!(dst instanceof Home.Growable d)) throw new IllegalStateException("a growable value copied into fixed memory " + dst);
        if (dst.equals(src)) return;
        IrFunction f = e.f;
        long eb = elementBytes(t);
        String n = src instanceof Home.Growable s ? count(s) : Integer.toString(t.shape().dim(0));
        String ok = reserve(d, n, eb);
        f.ifThen(ok, () -> {
            if (eb > 0) {
                String bytes = f.let("mul nuw nsw i64 " + n + ", " + eb);
                switch (src) {
                    case Home.Growable s -> memcpy(data(d), data(s), bytes);
                    case Home.Immediate i -> Scalars.store(f, t.dtype(), Scalars.constant(i.value(), 0, false), data(d), "0");
                    default -> memcpy(data(d), e.pointer(src), bytes);
                }
            }
            f.line("store i64 " + n + ", ptr " + at(f, d, 1));
        });
    }

    // ------------------------------------------------------------ ops

    void emit(Node n) {
        if (n.op() == TensorArrayOps.TENSOR_ARRAY_WRITE) write(n);
        else if (n.op() == TensorArrayOps.TENSOR_ARRAY_READ) read(n);
        else if (n.op() == ArrayOps.GATHER) gather(n);
        else if (n.op() == ArrayOps.SHAPE || n.op() == ArrayOps.SIZE) shape(n);
        else throw new IllegalStateException("no lowering of " + n.op().name() + " on a growable array (GrowableTypes should have refused it)");
    }

    private void write(Node n) {
        IrFunction f = e.f;
        Value in = n.inputs().get(0), index = n.inputs().get(1), value = n.inputs().get(2), out = n.output();
        boolean grows = n.attrs().getBool("dynamic_size", false);
        Home.Growable h;
        if (isGrowable(in) && inPlace().mayUpdate(n, in)) {
            h = (Home.Growable) e.home(in);
        } else {
            h = newHome();
            copy(h, e.home(in), e.types.of(in));
        }
        e.setHome(out, h);
        long eb = elementBytes(e.types.of(out));
        String i = TensorArrayEmitter.index(e, index);
        String count = count(h);
        String negative = f.let("icmp slt i64 " + i + ", 0");
        DetailedError.raiseIf(e, negative, List.of(i), v -> "Writing to negative indices (index " + v.get(0) + ") is not allowed.");
        String tooLarge;
        if (grows) {
            tooLarge = f.let("icmp sge i64 " + i + ", " + GrowableTypes.MAX_COUNT);
            DetailedError.raiseIf(e, tooLarge, List.of(i), v -> "Tried to write to index " + v.get(0) + " but a TensorArray holds at most "
                    + GrowableTypes.MAX_COUNT + " elements");
        } else {
            tooLarge = f.let("icmp sge i64 " + i + ", " + count);
            DetailedError.raiseIf(e, tooLarge, List.of(i, count),
                    v -> "Tried to write to index " + v.get(0) + " but array is not resizeable and size is: " + v.get(1));
        }
        String inRange = f.let("xor i1 " + f.let("or i1 " + negative + ", " + tooLarge) + ", true");
        f.ifThen(inRange, () -> {
            String written = "true";
            if (grows) {
                String slot = f.alloca("i1");
                f.line("store i1 true, ptr " + slot);
                f.ifThen(f.let("icmp sge i64 " + i + ", " + count), () -> {
                    String need = f.let("add nuw nsw i64 " + i + ", 1");
                    String ok = reserve(h, need, eb);
                    f.line("store i1 " + ok + ", ptr " + slot);
                    f.ifThen(ok, () -> { // elements between the old end and the index read as zeros, as the interpreter's do
                        if (eb > 0) memset(offset(data(h), count, eb), f.let("mul nuw nsw i64 " + f.let("sub nsw i64 " + i + ", " + count) + ", " + eb));
                        f.line("store i64 " + need + ", ptr " + at(f, h, 1));
                    });
                });
                written = f.let("load i1, ptr " + slot);
            }
            if (eb == 0) return;
            f.ifThen(written, () -> {
                String dst = offset(data(h), i, eb);
                if (e.isImmediate(value)) Scalars.store(f, value.dtype(), Scalars.constant(e.immediate(value), 0, false), dst, "0");
                else memcpy(dst, e.pointer(value), Long.toString(eb));
            });
        });
    }

    private void read(Node n) {
        IrFunction f = e.f;
        Value in = n.inputs().get(0), out = n.output();
        e.assignHome(out);
        Home.Growable h = (Home.Growable) e.home(in);
        String i = TensorArrayEmitter.index(e, n.inputs().get(1));
        String count = count(h);
        String bad = f.let("icmp uge i64 " + i + ", " + count); // unsigned: negative indices are huge
        DetailedError.raiseIf(e, bad, List.of(i, count), v -> "Tried to read from index " + v.get(0) + " but array size is: " + v.get(1));
        long eb = e.bytes(out);
        if (eb == 0) return;
        f.ifThen(f.let("xor i1 " + bad + ", true"), () -> memcpy(e.pointer(out), offset(data(h), i, eb), Long.toString(eb)));
    }

    /** gather along axis 0: every index is checked against the run-time count first, then the elements move. */
    private void gather(Node n) {
        IrFunction f = e.f;
        Value params = n.inputs().get(0), indices = n.inputs().get(1), out = n.output();
        e.assignHome(out);
        Home.Growable h = (Home.Growable) e.home(params);
        Shape is = e.types.shape(indices);
        long k = is.numElements(), eb = elementBytes(e.types.of(params));
        if (k == 0) return;
        String count = count(h);
        List<Integer> bits = GatherEmitter.validate(e, k, j -> {
            String v = GatherEmitter.index(e, indices, j);
            List<String> values = new ArrayList<>(DetailedError.coordinates(f, j, is.dims()));
            values.add(v);
            values.add(count);
            int coords = is.rank();
            DetailedError.raiseIf(e, f.let("icmp uge i64 " + v + ", " + count), values,
                    s -> "indices" + DetailedError.bracketed(s.subList(0, coords), ",") + " = " + s.get(coords) + " is not in [0, "
                            + s.get(coords + 1) + ")");
        });
        if (eb == 0) return;
        String base = data(h), dst = e.pointer(out);
        GatherEmitter.guard(e, bits, () -> f.forLoop(Long.toString(k), j -> {
            String v = GatherEmitter.index(e, indices, j);
            memcpy(offset(dst, j, eb), offset(base, v, eb), Long.toString(eb));
        }));
    }

    /** shape (the run-time count, then the element dims) and size (count times the element's size). */
    private void shape(Node n) {
        IrFunction f = e.f;
        Value in = n.inputs().get(0), out = n.output();
        e.assignHome(out);
        Home.Growable h = (Home.Growable) e.home(in);
        Shape s = e.types.shape(in);
        String count = count(h);
        String ty = out.dtype() == DType.INT64 ? "i64" : "i32";
        String p = e.pointer(out);
        if (n.op() == ArrayOps.SIZE) {
            long element = elementCount(s);
            String size = f.let("mul nuw nsw i64 " + count + ", " + element);
            f.line("store " + ty + " " + (ty.equals("i64") ? size : f.let("trunc i64 " + size + " to i32")) + ", ptr " + p);
            return;
        }
        f.line("store " + ty + " " + (ty.equals("i64") ? count : f.let("trunc i64 " + count + " to i32")) + ", ptr " + p);
        for (int d = 1; d < s.rank(); d++) {
            f.line("store " + ty + " " + s.dim(d) + ", ptr " + f.let("getelementptr inbounds " + ty + ", ptr " + p + ", i64 " + d));
        }
    }

    // ------------------------------------------------------------ memory

    /**
     * Makes {@code h} hold at least {@code need} elements (an i64 operand, at most
     * {@link GrowableTypes#MAX_COUNT}): at least doubling its capacity when it must grow.
     * Returns an i1 that is false when it could not (out of memory, or an error was already
     * raised: a failed call's later values are garbage, which must not decide an allocation).
     */
    private String reserve(Home.Growable h, String need, long eb) {
        if (eb == 0) return "true"; // elements of no bytes: only the count changes
        IrFunction f = e.f;
        e.module.helper("malloc", DECLARATIONS);
        e.module.helper("umax", "declare i64 @llvm.umax.i64(i64, i64)");
        e.module.helper("umin", "declare i64 @llvm.umin.i64(i64, i64)");
        String slot = f.alloca("i1");
        f.line("store i1 true, ptr " + slot);
        String capacity = f.let("load i64, ptr " + at(f, h, 2));
        f.ifThen(f.let("icmp ugt i64 " + need + ", " + capacity), () -> {
            f.line("store i1 false, ptr " + slot);
            long limit = Math.min(GrowableTypes.MAX_COUNT, (Long.MAX_VALUE / 4) / eb); // no byte count overflows
            java.util.function.Function<List<String>, String> message =
                    v -> "out of memory growing a TensorArray to " + v.get(0) + " elements of " + eb + " bytes";
            String fits = f.let("icmp ule i64 " + need + ", " + limit);
            String clean = f.let("icmp eq i32 " + f.let("load i32, ptr " + e.cx.status) + ", 0");
            String doubled = f.let("call i64 @llvm.umax.i64(i64 " + f.let("shl nuw nsw i64 " + capacity + ", 1") + ", i64 4)");
            String wanted = f.let("call i64 @llvm.umin.i64(i64 " + f.let("call i64 @llvm.umax.i64(i64 " + need + ", i64 " + doubled + ")")
                    + ", i64 " + limit + ")");
            String grownSlot = f.alloca("ptr");
            f.line("store ptr null, ptr " + grownSlot);
            f.ifThen(f.let("and i1 " + fits + ", " + clean), () -> f.line("store ptr "
                    + f.let("call ptr @realloc(ptr " + data(h) + ", i64 " + f.let("mul nuw nsw i64 " + wanted + ", " + eb) + ")")
                    + ", ptr " + grownSlot));
            String grown = f.let("load ptr, ptr " + grownSlot);
            String ok = f.let("icmp ne ptr " + grown + ", null");
            DetailedError.raiseIf(e, f.let("and i1 " + clean + ", " + f.let("xor i1 " + ok + ", true")), List.of(need), message);
            f.ifThen(ok, () -> { // a failed realloc left the old block in place, still owned by the descriptor
                f.line("store ptr " + grown + ", ptr " + at(f, h, 0));
                f.line("store i64 " + wanted + ", ptr " + at(f, h, 2));
                f.line("store i1 true, ptr " + slot);
            });
        });
        return f.let("load i1, ptr " + slot);
    }

    private InPlaceWrites inPlace() {
        if (inPlace == null) inPlace = new InPlaceWrites(graph);
        return inPlace;
    }

    private static String at(IrFunction f, Home.Growable h, int field) {
        return f.let("getelementptr inbounds i8, ptr %scratch, i64 " + (h.offset() + 8L * field));
    }

    private String data(Home.Growable h) { return e.f.let("load ptr, ptr " + at(e.f, h, 0)); }

    private String count(Home.Growable h) { return e.f.let("load i64, ptr " + at(e.f, h, 1)); }

    /** {@code base + index * eb} bytes. */
    private String offset(String base, String index, long eb) {
        return e.f.let("getelementptr inbounds i8, ptr " + base + ", i64 " + e.f.let("mul nsw i64 " + index + ", " + eb));
    }

    private void memcpy(String dst, String src, String bytes) {
        e.module.helper("memcpy", ViewCopy.MEMCPY);
        e.f.line("call void @llvm.memcpy.p0.p0.i64(ptr " + dst + ", ptr " + src + ", i64 " + bytes + ", i1 false)");
    }

    private void memset(String dst, String bytes) {
        e.module.helper("memset", Sgemm.MEMSET);
        e.f.line("call void @llvm.memset.p0.i64(ptr " + dst + ", i8 0, i64 " + bytes + ", i1 false)");
    }

    /** The bytes of one element of a stacked value of type {@code t} (its dims after the first). */
    static long elementBytes(TensorType t) { return elementCount(t.shape()) * t.dtype().byteSize(); }

    private static long elementCount(Shape stacked) {
        long n = 1;
        for (int d = 1; d < stacked.rank(); d++) n *= stacked.dim(d);
        return n;
    }
}
