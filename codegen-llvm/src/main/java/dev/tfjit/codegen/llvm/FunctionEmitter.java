package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.Broadcast;
import dev.tfjit.ir.ops.ControlFlowOps;
import dev.tfjit.ir.ops.CreationOps;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one graph, specialized to concrete shapes, as a single LLVM function
 * {@code i32 entry(ptr args, ptr results, ptr scratch)}: every kernel's loops in program order,
 * while/cond as native loops and branches, and the status word of run-time errors as its
 * return value. Stored values live in argument, result or scratch buffers (see {@link Home});
 * fused values live only in registers.
 *
 * <p>A big graph's steps may be written in up to {@code maxSections} sections, each a function
 * {@code void section(ptr args, ptr results, ptr scratch, ptr status)} in a module of its own,
 * which the entry calls in order after its own steps: LLVM optimizes and compiles the modules
 * on several cores at once (XLA's CPU backend splits its modules for the same reason). Steps
 * share nothing but memory, so a section boundary changes no instruction within a step.
 */
public final class FunctionEmitter {
    /** The modules' texts (the entry's first, then each section's) and what the caller needs to run them. */
    record Emitted(List<String> modules, long scratchBytes, ErrorSites errors, FusionReport fusion) {
        /** The module of a function written in one piece. */
        String ir() {
            if (modules.size() != 1) throw new IllegalStateException("the function was written in " + modules.size() + " sections");
            return modules.getFirst();
        }
    }

    /** The module being written: the entry's, then each section's in turn. */
    IrModule module = new IrModule();
    /** The function being written: the entry, then each section. */
    IrFunction f;
    KernelContext cx;
    final ConcreteTypes types;
    final FusionPlan plan;
    final String symbol;
    /** The graph being written (random nodes find their generator's argument slot by their place in it, {@link RandomSites}). */
    Graph graph;
    private final Map<Value, Home> homes = new IdentityHashMap<>();
    private final Map<Value, Integer> resultSlots = new IdentityHashMap<>();
    /** The scratch block, laid out over the body's steps: dead values' buffers serve later kernels. */
    private final ScratchArena arena = new ScratchArena();
    /** Each fusion and buffer decision, recorded as it is made ({@code -Dtfjit.dump}, {@code tfjit explain}). */
    private final FusionReport report = new FusionReport();
    /** The entry's module then each section's, with the function written into each. */
    private final List<IrModule> modules = new ArrayList<>();
    private final List<IrFunction> functions = new ArrayList<>();
    private Liveness liveness;
    /** The top-level node being emitted (its index in the function body), and how deep in its regions. */
    private int step, regionDepth;
    private int helperCounter;
    /** Dynamically sized TensorArrays: their descriptors, memory and ops. */
    private GrowableArrays arrays;

    private FunctionEmitter(ConcreteTypes types, FusionPlan plan, String symbol) {
        this.types = types;
        this.plan = plan;
        this.symbol = symbol;
        this.f = new IrFunction("define i32 @" + symbol + "(ptr noalias %args, ptr noalias %results, ptr noalias %scratch)");
        this.cx = new KernelContext(module, f, f.alloca("i32"), new ErrorSites());
        modules.add(module);
        functions.add(f);
    }

    /** Writes {@code g} in one module (for a shared library, or where only the fusion report is wanted). */
    static Emitted emit(Graph g, ConcreteTypes types, FusionPlan plan, String symbol, String moduleHeader) {
        return emit(g, types, plan, symbol, moduleHeader, 1);
    }

    /** Writes {@code g} in at most {@code maxSections} modules (see the class comment). */
    static Emitted emit(Graph g, ConcreteTypes types, FusionPlan plan, String symbol, String moduleHeader, int maxSections) {
        FunctionEmitter e = new FunctionEmitter(types, plan, symbol);
        e.graph = g;
        e.cx.errors.within(g);
        e.entry(g, maxSections);
        String errorBits = e.cx.errors.finish(); // numbered in program order once every site is known
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < e.modules.size(); i++) {
            IrModule m = e.modules.get(i);
            m.helper("declarations", MathFunctions.DECLARATIONS);
            m.helper("error bits", errorBits);
            m.add(e.functions.get(i));
            texts.add(m.text(moduleHeader));
        }
        e.report.finish(g, types, plan, e.homes, e.arena);
        return new Emitted(texts, e.arena.size(), e.cx.errors, e.report);
    }

    /** The name of section {@code k} (from 1) of the function {@code symbol}. */
    static String sectionSymbol(String symbol, int k) { return symbol + "_section" + k; }

    private void entry(Graph g, int maxSections) {
        f.line("store i32 0, ptr " + cx.status);
        arrays = new GrowableArrays(this, g);
        arrays.begin();
        for (int i = 0; i < g.params().size(); i++) homes.put(g.params().get(i), new Home.Arg(i));
        List<Value> results = g.results();
        for (int j = 0; j < results.size(); j++) resultSlots.putIfAbsent(results.get(j), j);
        loadPointers(g);
        liveness = Liveness.of(g, plan);
        List<Node> nodes = g.body().nodes();
        List<Integer> starts = arrays.any() ? List.of() : Sections.starts(nodes, plan, maxSections);
        report.sections(starts, nodes.size());
        IrFunction entry = f;
        String status = cx.status;
        for (step = 0; step < nodes.size(); step++) {
            if (starts.contains(step)) beginSection(g, entry, status, functions.size());
            node(nodes.get(step));
            arena.endStep(step);
        }
        for (int j = 0; j < results.size(); j++) {
            if (arrays.isGrowable(results.get(j))) arrays.handOver(j, results.get(j));
            else copy(new Home.Result(j), results.get(j));
        }
        arrays.end();
        if (f != entry) f.line("ret void");
        entry.line("ret i32 " + entry.let("load i32, ptr " + status));
    }

    /** {@code %argI} and {@code %resJ}: each argument's and result's pointer, at the start of the function being written. */
    private void loadPointers(Graph g) {
        for (int i = 0; i < g.params().size(); i++) f.line("%arg" + i + " = load ptr, ptr " + f.let("getelementptr inbounds ptr, ptr %args, i64 " + i));
        for (int j = 0; j < g.results().size(); j++) f.line("%res" + j + " = load ptr, ptr " + f.let("getelementptr inbounds ptr, ptr %results, i64 " + j));
    }

    /**
     * Ends the function being written (a section) and starts section {@code k} in a module of
     * its own, which the entry calls next with its status word.
     */
    private void beginSection(Graph g, IrFunction entry, String status, int k) {
        if (f != entry) f.line("ret void");
        String name = "@" + sectionSymbol(symbol, k);
        modules.getFirst().helper(name, "declare void " + name + "(ptr, ptr, ptr, ptr)");
        entry.line("call void " + name + "(ptr %args, ptr %results, ptr %scratch, ptr " + status + ")");
        module = module.sibling();
        f = new IrFunction("define void " + name + "(ptr noalias %args, ptr noalias %results, ptr noalias %scratch, ptr noalias %status)");
        cx = new KernelContext(module, f, "%status", cx.errors);
        modules.add(module);
        functions.add(f);
        loadPointers(g);
    }

    /** A while/cond region's nodes, in order (all within the step of the region's top-level node). */
    void block(Block b) {
        regionDepth++;
        for (Node n : b.nodes()) node(n);
        regionDepth--;
    }

    private void node(Node n) {
        cx.node = n;
        OpDef op = n.op();
        if (op == CreationOps.CONSTANT) {
            Buffer c = n.attrs().getTensor("value");
            homes.put(n.output(), c.size() == 1 ? new Home.Immediate(c) : new Home.Global(module.constantBytes(bytes(c))));
            decided(n, FusionReport.Kind.CONSTANT);
            return;
        }
        FusionPlan.RowGroup group = plan.rowGroup(n);
        if (group != null) { // the whole group is emitted where its last member stands
            decided(n, FusionReport.Kind.ROW_GROUP);
            if (n == group.last()) RowGroupEmitter.emit(this, group);
            return;
        }
        if (n.outputs().size() == 1 && plan.isInlined(n.output())) { // computed inside its consumer's loop
            decided(n, FusionReport.Kind.INLINED);
            return;
        }
        if (n.outputs().size() == 1 && plan.isPieced(n.output())) { // computed piece by piece in its reader's loop
            decided(n, FusionReport.Kind.PIECED);
            return;
        }
        if (n.outputs().size() == 1 && plan.isView(n.output())) { // its reader reads the input through the view
            decided(n, FusionReport.Kind.VIEW);
            Value in = n.inputs().getFirst();
            Home h = homes.get(in);
            ViewCopy.View view = Views.of(n, types.shape(in), types.shape(n.output()));
            homes.put(n.output(), view.offset() == 0 ? h : new Home.Offset(h, view.offset() * in.dtype().byteSize()));
            if (h instanceof Home.Scratch s) arena.extend(s.offset(), until(n.output()));
            return;
        }
        if (plan.isEpilogue(n)) { // computed inside its matmul's loops, which gave it its home
            decided(n, FusionReport.Kind.EPILOGUE);
            return;
        }
        if (arrays.handles(n)) { // reads or makes a dynamically sized TensorArray: it places its own outputs
            decided(n, FusionReport.Kind.TENSOR_ARRAY);
            arrays.emit(n);
            return;
        }
        if (DataMovement.isSameBytes(op) && !resultSlots.containsKey(n.output())) {
            // Same bytes in the same order: the output is an alias of the input's home, no copy.
            // Homes are only rewritten by while loops, which stage values that alias a loop var.
            Home h = homes.get(n.inputs().get(0));
            homes.put(n.output(), h);
            if (h instanceof Home.Scratch s) arena.extend(s.offset(), until(n.output()));
            decided(n, FusionReport.Kind.ALIAS);
            return;
        }
        FusionPlan.SiblingGroup siblings = plan.siblingGroup(n);
        if (siblings != null) { // one loop for the whole group, where its last member stands
            decided(n, FusionReport.Kind.SIBLING);
            if (n == siblings.last()) siblings(siblings.members());
            return;
        }
        Home inPlace = ElementwiseLowerings.isElementwise(op) ? inPlace(n) : null;
        for (Value v : n.outputs()) homes.put(v, inPlace != null ? inPlace : newHome(v));
        decided(n, FusionReport.Kind.KERNEL); // before its regions' nodes, which the report lists under it
        // Result and scratch memory arrives uninitialized (NativeKernel); a lowering not known to
        // write every element of its outputs gets them zeroed first, as a fresh buffer would be.
        if (!writesEveryElement(op)) for (Value v : n.outputs()) zero(homes.get(v), bytes(v));
        if (op == ControlFlowOps.WHILE) whileLoop(n);
        else if (op == ControlFlowOps.COND) cond(n);
        else if (ReductionEmitter.isReduction(op)) new ReductionEmitter(this, n).emit();
        else if (ElementwiseLowerings.isElementwise(op)) elementwise(n);
        else if (MatMulEmitter.isMatMul(op)) new MatMulEmitter(this, n).emit();
        else if (DataMovement.isSameBytes(op)) copy(homes.get(n.output()), n.inputs().get(0)); // a result: its own buffer
        else if (DataMovement.isStrided(op)) DataMovement.emitStrided(this, n);
        else if (SoftmaxXentEmitter.lowers(op)) SoftmaxXentEmitter.emit(this, n);
        else if (ArgReduceEmitter.lowers(op)) ArgReduceEmitter.emit(this, n);
        else if (TensorArrayEmitter.lowers(op)) TensorArrayEmitter.emit(this, n);
        else if (ConvEmitter.lowers(op)) ConvEmitter.emit(this, n);
        else if (SliceEmitter.lowers(op)) SliceEmitter.emit(this, n);
        else if (ConcatEmitter.lowers(op)) ConcatEmitter.emit(this, n);
        else if (PadEmitter.lowers(op)) PadEmitter.emit(this, n);
        else if (GatherEmitter.lowers(op)) GatherEmitter.emit(this, n);
        else if (ScatterEmitter.lowers(op)) ScatterEmitter.emit(this, n);
        else if (OneHotEmitter.lowers(op)) OneHotEmitter.emit(this, n);
        else if (CreationEmitter.lowers(op)) CreationEmitter.emit(this, n);
        else if (SoftmaxEmitter.lowers(op)) SoftmaxEmitter.emit(this, n);
        else if (ScanEmitter.lowers(op)) ScanEmitter.emit(this, n);
        else if (ReduceLikeEmitter.lowers(op)) ReduceLikeEmitter.emit(this, n);
        else if (TopKEmitter.lowers(op)) TopKEmitter.emit(this, n);
        else if (RandomEmitter.lowers(op)) RandomEmitter.emit(this, n);
        else throw new IllegalStateException("no lowering for " + op + " (Lowerability should have rejected it)");
    }

    private void decided(Node n, FusionReport.Kind kind) { report.decided(n, step, regionDepth, kind); }

    /** Lowerings that store every element of every output (or raise an error). */
    private static boolean writesEveryElement(OpDef op) {
        return op == ControlFlowOps.WHILE || op == ControlFlowOps.COND || ReductionEmitter.isReduction(op)
                || ElementwiseLowerings.isElementwise(op) || MatMulEmitter.isMatMul(op) || DataMovement.lowers(op)
                || SoftmaxXentEmitter.lowers(op) || ArgReduceEmitter.lowers(op) || TensorArrayEmitter.lowers(op)
                || RandomEmitter.lowers(op);
    }

    private void zero(Home h, long n) {
        if (n == 0) return;
        module.helper("memset", Sgemm.MEMSET);
        f.line("call void @llvm.memset.p0.i64(ptr " + pointer(h) + ", i8 0, i64 " + n + ", i1 false)");
    }

    /** Gives {@code v} its own buffer (a row group's value that is used outside the group). */
    void assignHome(Value v) { homes.put(v, newHome(v)); }

    private Home newHome(Value v) {
        if (arrays.isGrowable(v)) return arrays.newHome();
        Integer slot = resultSlots.get(v);
        if (slot != null) return new Home.Result(slot);
        return new Home.Scratch(arena.take(bytes(v), until(v)));
    }

    /** The last step that needs {@code v}'s buffer: its last reader, or this step for a value inside a region (or never read). */
    private int until(Value v) {
        Integer last = liveness.lastRead(v);
        return last == null ? step : Math.max(step, last);
    }

    /**
     * A home for the output of elementwise node {@code n} in the buffer of a scratch input that
     * dies here, or null. The loop reads each input element before it writes the output element
     * at the same position, and nothing else, so they can share memory when the input is read
     * without broadcasting, with elements of the output's size, and no value still live shares it.
     * Not inside regions: liveness is counted in top-level steps, and a loop body reads its values again.
     */
    private Home inPlace(Node n) {
        if (regionDepth > 0 || n.outputs().size() != 1 || resultSlots.containsKey(n.output()) || isForwarding(n)) return null;
        Value out = n.output();
        Shape shape = types.shape(out);
        if (shape.numElements() == 0) return null;
        if (piecedIn(n.inputs()) != null) return null; // a piece reads its source at other positions
        List<Value> leaves = leaves(n.inputs());
        if (leaves.stream().anyMatch(plan::isView)) return null; // a view reads its input at other positions
        for (Value l : leaves) {
            if (!(homes.get(l) instanceof Home.Scratch s) || arena.until(s.offset()) != step) continue;
            if (!types.shape(l).equals(shape) || l.dtype().byteSize() != out.dtype().byteSize()) continue;
            arena.extend(s.offset(), until(out));
            report.inPlace(out, l);
            return s;
        }
        return null;
    }

    /** A pointer to {@code bytes} of zeroed, aligned scratch memory that only the current kernel uses. */
    String scratch(long bytes) {
        long off = arena.take(bytes, step);
        zero(new Home.Scratch(off), bytes);
        return pointer(new Home.Scratch(off));
    }

    /** Like {@link #scratch} for buffers the kernel writes before it reads them (packing buffers): not zeroed. */
    String uninitializedScratch(long bytes) { return pointer(new Home.Scratch(arena.take(bytes, step))); }

    /**
     * The byte offset of {@code bytes} of scratch memory that stays this call's for its whole
     * run and is never reused: the run-time values of an error message, which Java reads after
     * the call fails ({@link dev.tfjit.runtime.ErrorDetails}), and growable arrays' descriptors,
     * which are cleared when the call starts, so no earlier step may have used their bytes.
     */
    long callScratch(long bytes) { return arena.takeForCall(bytes); }

    long bytes(Value v) { return types.shape(v).numElements() * v.dtype().byteSize(); }

    private static byte[] bytes(Buffer c) { return c.segment().toArray(ValueLayout.JAVA_BYTE); }

    /** A pointer to a stored value's first element, valid anywhere in the entry function. */
    String pointer(Value v) {
        Home h = homes.get(v);
        if (h == null) throw new IllegalStateException("value " + v + " has no home");
        return pointer(h);
    }

    String pointer(Home h) {
        return switch (h) {
            case Home.Arg a -> "%arg" + a.index();
            case Home.Result r -> "%res" + r.index();
            case Home.Scratch s -> f.let("getelementptr inbounds i8, ptr %scratch, i64 " + s.offset());
            case Home.Global g -> g.symbol();
            case Home.Immediate i -> throw new IllegalStateException("an immediate has no address");
            case Home.Growable g -> throw new IllegalStateException("a growable array's elements move when it grows: it has no fixed address");
            case Home.Offset o -> f.let("getelementptr inbounds i8, ptr " + pointer(o.base()) + ", i64 " + o.bytes());
        };
    }

    boolean isImmediate(Value v) { return homes.get(v) instanceof Home.Immediate; }

    /** Where {@code v} lives (null before it is computed). */
    Home home(Value v) { return homes.get(v); }

    /** Places {@code v} in {@code h} (a lowering that computes into memory it chose, e.g. a write in place). */
    void setHome(Value v, Home h) { homes.put(v, h); }

    /** The literal of a value held as an immediate (a one-element constant). */
    Buffer immediate(Value v) { return ((Home.Immediate) homes.get(v)).value(); }

    /** Stores {@code src}'s elements in {@code dst}'s home (nothing when they share it). */
    void copyInto(Value dst, Value src) { copy(homes.get(dst), src); }

    /** A fresh name for a helper function of this module. */
    String helperName(String what) { return "@" + symbol + "_" + what + helperCounter++; }

    // ------------------------------------------------------------ fused elements

    /** The stored values (not literals) a fused expression for {@code roots} reads, each once. */
    List<Value> leaves(List<Value> roots) { return leaves(roots, Map.of()); }

    /** {@link #leaves}, reading each pieced value as the value {@code reads} gives for the current piece. */
    private List<Value> leaves(List<Value> roots, Map<Value, Value> reads) {
        List<Value> out = new ArrayList<>();
        for (Value r : roots) collectLeaves(r, reads, out);
        return out;
    }

    private void collectLeaves(Value v, Map<Value, Value> reads, List<Value> out) {
        Value source = reads.get(v);
        if (source != null) {
            collectLeaves(source, reads, out);
        } else if (plan.isInlined(v)) {
            for (Value in : plan.producer(v).inputs()) collectLeaves(in, reads, out);
        } else if (plan.isPieced(v)) {
            throw new IllegalStateException(v + " is computed piece by piece, read outside a piece");
        } else if (!isImmediate(v) && out.stream().noneMatch(x -> x == v)) {
            out.add(v);
        }
    }

    /** The pieced value ({@link FusionPlan#isPieced}) a fused expression for {@code roots} reads, or null. */
    private Value piecedIn(List<Value> roots) {
        for (Value r : roots) {
            if (plan.isPieced(r)) return r;
            Value p = plan.isInlined(r) ? piecedIn(plan.producer(r).inputs()) : null;
            if (p != null) return p;
        }
        return null;
    }

    /**
     * Where a fused expression finds its leaves: base pointer and element offset of each, and
     * for a pieced value the value the current piece reads in its place ({@link IndexFusion}).
     */
    record LeafAccess(Map<Value, String> pointers, Map<Value, String> offsets, Map<Value, Value> reads) {
        LeafAccess(Map<Value, String> pointers, Map<Value, String> offsets) { this(pointers, offsets, Map.of()); }
    }

    /**
     * Emits the value of {@code v} at the current loop position: loads for leaves, the ops of
     * fused producers in registers. {@code flushLeaves} is false only where the interpreter
     * reads raw (max/min reductions).
     */
    Reg element(KernelContext k, Value v, LeafAccess at, Map<Value, Reg> memo, boolean flushLeaves) {
        Reg known = memo.get(v);
        if (known != null) return known;
        Reg r;
        Value source = at.reads().get(v);
        if (source != null) { // a concat or pad element: as it copies it, raw
            r = element(k, source, at, memo, flushLeaves);
        } else if (plan.isInlined(v)) {
            r = inlined(k, v, at, memo, true);
        } else if (homes.get(v) instanceof Home.Immediate i) {
            r = Scalars.constant(i.value(), 0, flushLeaves);
        } else {
            r = Scalars.load(k.f, v.dtype(), at.pointers().get(v), at.offsets().get(v), flushLeaves && !storedFlushed(v));
        }
        memo.put(v, r);
        return r;
    }

    /**
     * Whether {@code v}'s stored elements are already flushed: a float32/64 value this function
     * computed with an op that rounds its result (elementwise ops but casts, reductions, matmul).
     * Flushing them again when they are read would change nothing, so it is skipped.
     */
    private boolean storedFlushed(Value v) {
        if (v.dtype() != DType.FLOAT32 && v.dtype() != DType.FLOAT64) return false;
        Node p = plan.producer(v);
        if (p == null || p.outputs().size() != 1) return false;
        OpDef op = p.op();
        if (ElementwiseLowerings.isElementwise(op)) return op != dev.tfjit.ir.ops.ElementwiseOps.CAST && !isForwarding(p);
        return ReductionEmitter.isReduction(op) || MatMulEmitter.isMatMul(op);
    }

    /**
     * The value of an inlined {@code v}: its producer applied to its inputs' values, flushed
     * unless {@code flush} is false (for a consumer that gives the same result either way).
     */
    private Reg inlined(KernelContext k, Value v, LeafAccess at, Map<Value, Reg> memo, boolean flush) {
        Node p = plan.producer(v);
        return flush ? apply(k, p, operands(k, p, at, memo)) : applyUnflushed(k, p, operands(k, p, at, memo, true));
    }

    /**
     * The values of {@code p}'s inputs at the current loop position, for {@link #apply}. An
     * input that {@code p} may read unflushed ({@link #readsUnflushed}) and that is computed or
     * loaded only for it is left unflushed (two vector instructions less per element).
     */
    List<Reg> operands(KernelContext k, Node p, LeafAccess at, Map<Value, Reg> memo) { return operands(k, p, at, memo, false); }

    /** {@link #operands}; {@code unflushedResult}: p's result is read unflushed too. */
    private List<Reg> operands(KernelContext k, Node p, LeafAccess at, Map<Value, Reg> memo, boolean unflushedResult) {
        List<Reg> in = new ArrayList<>();
        for (Value x : p.inputs()) {
            Reg known = memo.get(x);
            boolean raw = known == null && readsUnflushed(p, x, unflushedResult);
            if (raw && plan.isInlined(x)) { // its single user is p: no one else sees it unflushed
                known = inlined(k, x, at, memo, false);
                memo.put(x, known);
            } else if (raw) { // a load or constant read raw, for p alone (not memoized)
                known = element(k, x, at, new IdentityHashMap<>(), false);
            }
            in.add(known != null ? known : element(k, x, at, memo, true));
        }
        return in;
    }

    /**
     * Whether {@code p}, at every input position {@code x} takes, gives the same flushed result
     * for a subnormal {@code x} as for the zero its flush makes (so x need not be flushed): an op
     * that ignores subnormal input (exp, sigmoid); one that passes a subnormal on
     * ({@link ElementwiseLowerings#passesSubnormal}) when its own result is read unflushed; and
     * a product with a factor of magnitude at most 1, which maps a subnormal to a subnormal or
     * zero of the sign a flushed zero gives, flushed with the product.
     */
    private boolean readsUnflushed(Node p, Value x, boolean unflushedResult) {
        DType t = p.output().dtype();
        if (t != DType.FLOAT32 || x.dtype() != t) return false;
        OpDef op = p.op();
        if (ElementwiseLowerings.ignoresSubnormalInput(op)) return true;
        if (unflushedResult && ElementwiseLowerings.passesSubnormal(op)) return true;
        if (op != dev.tfjit.ir.ops.ElementwiseOps.MUL) return false;
        List<Value> in = p.inputs();
        for (int i = 0; i < 2; i++) if (in.get(i) == x && !isBounded(in.get(1 - i))) return false;
        return true;
    }

    /** Whether every element of {@code v} is at most 1 in magnitude or NaN: a tanh or sigmoid, or such a scalar constant. */
    private boolean isBounded(Value v) {
        if (homes.get(v) instanceof Home.Immediate i) return Math.abs(i.value().getDouble(0)) <= 1;
        Node p = plan.producer(v);
        return p != null && ElementwiseLowerings.isBounded(p.op());
    }

    /** {@link #apply} without the final flush of a float32/64 result (narrow dtypes are still rounded). */
    private static Reg applyUnflushed(KernelContext k, Node p, List<Reg> in) {
        DType t = p.output().dtype();
        if (t != DType.FLOAT32 && t != DType.FLOAT64) return apply(k, p, in);
        Node saved = k.node;
        k.node = p;
        Reg raw = ElementwiseLowerings.rule(p.op()).lower(k, p, in);
        k.node = saved;
        return raw;
    }

    /** One elementwise op on element registers, rounded as the interpreter stores it. */
    public static Reg apply(KernelContext k, Node p, List<Reg> in) {
        Node saved = k.node;
        k.node = p;
        Reg raw = ElementwiseLowerings.rule(p.op()).lower(k, p, in);
        k.node = saved;
        // Only a cast from float64 to bfloat16 stores without flushing the float32 in between.
        boolean flush = !(p.op() == dev.tfjit.ir.ops.ElementwiseOps.CAST && p.output().dtype() == DType.BFLOAT16);
        DType t = p.output().dtype();
        // An op that makes no subnormal from inputs without any returns what a flush would.
        if ((t == DType.FLOAT32 || t == DType.FLOAT64) && ElementwiseLowerings.keepsNormals(p.op())) return raw;
        return Scalars.round(k.f, t, raw, flush);
    }

    /**
     * A node the interpreter answers with its input buffer, unflushed: a cast to the dtype it
     * already has, or add_n of a single tensor.
     */
    public static boolean isForwarding(Node n) {
        if (n.op() == dev.tfjit.ir.ops.ElementwiseOps.ADD_N) return n.inputs().size() == 1;
        return n.op() == dev.tfjit.ir.ops.ElementwiseOps.CAST && n.inputs().get(0).dtype() == n.output().dtype();
    }

    /** Read strides of each leaf over {@code shape}: broadcasting, and for a view ({@link Views}) its input's strides. */
    List<long[]> readStrides(List<Value> leaves, Shape shape) {
        List<long[]> s = new ArrayList<>();
        for (Value l : leaves) {
            if (plan.isView(l)) {
                Node p = plan.producer(l);
                Shape in = types.shape(p.inputs().getFirst());
                s.add(Views.readStrides(Views.of(p, in, types.shape(l)), types.shape(l), shape));
            } else {
                s.add(Broadcast.readStrides(types.shape(l), shape));
            }
        }
        return s;
    }

    // ------------------------------------------------------------ kernels

    /**
     * Outputs from this size on are written with non-temporal stores: they cannot stay in the
     * caches anyway, and streaming them saves reading each line before it is overwritten (a
     * fifth of the traffic of a three-input elementwise op).
     */
    static final long STREAMING_BYTES = 16L << 20;

    private void elementwise(Node n) {
        Value out = n.output();
        Shape shape = types.shape(out);
        if (shape.numElements() == 0) return;
        Value pieced = piecedIn(n.inputs());
        if (pieced != null) {
            elementwisePieces(n, pieced);
            return;
        }
        storedLoop(List.of(n), shape);
    }

    /**
     * A sibling group ({@link FusionPlan.SiblingGroup}): one loop over the common shape that
     * loads each leaf once and stores every member's output. Each output gets a buffer of its
     * own, never one in place: a member may still read that input after another has written.
     */
    private void siblings(List<Node> members) {
        for (Node m : members) homes.put(m.output(), newHome(m.output()));
        Shape shape = types.shape(members.getFirst().output());
        if (shape.numElements() == 0) return;
        storedLoop(members, shape);
    }

    /**
     * The {@link #loop} of elementwise kernels over {@code shape} whose leaves are all stored
     * values read over the whole shape: non-temporal stores when every output is big, aligned
     * and of one element size of at least 4 bytes.
     */
    private void storedLoop(List<Node> kernels, Shape shape) {
        List<Value> roots = new ArrayList<>();
        for (Node m : kernels) roots.addAll(m.inputs());
        List<Value> leaves = leaves(roots);
        List<long[]> strides = new ArrayList<>();
        for (Node m : kernels) strides.add(shape.strides());
        strides.addAll(readStrides(leaves, shape));
        List<String> used = new ArrayList<>();
        for (Value l : leaves) used.add(pointer(l));
        for (Node m : kernels) used.add(pointer(m.output()));
        int elementSize = kernels.getFirst().output().dtype().byteSize();
        boolean streaming = elementSize >= 4;
        for (Node m : kernels) {
            Value out = m.output();
            streaming &= bytes(out) >= STREAMING_BYTES && isAligned(out) && out.dtype().byteSize() == elementSize;
        }
        loop(kernels, shape, leaves, strides, used, Map.of(), streaming);
    }

    /**
     * An elementwise kernel reading a concat, stack or pad ({@link FusionPlan#isPieced}): one loop
     * per piece of the output ({@link IndexFusion}), the pieced value read as the piece's source.
     * The source's own leaves are read at the piece's positions, every other leaf and the
     * output at the whole shape's, from the piece's origin on.
     */
    private void elementwisePieces(Node n, Value pieced) {
        Value out = n.output();
        Shape shape = types.shape(out);
        long[] outStrides = shape.strides();
        for (IndexFusion.Piece piece : IndexFusion.pieces(plan.producer(pieced), types)) {
            Map<Value, Value> reads = new IdentityHashMap<>();
            reads.put(pieced, piece.source());
            List<Value> leaves = leaves(n.inputs(), reads);
            List<Value> own = leaves(List.of(piece.source()));
            Shape box = Shape.of(piece.extent());
            List<long[]> strides = new ArrayList<>();
            strides.add(outStrides);
            List<String> used = new ArrayList<>();
            for (Value l : leaves) {
                boolean inPiece = own.stream().anyMatch(x -> x == l);
                long[] s = inPiece ? piece.expand(readStrides(List.of(l), piece.sourceShape()).getFirst())
                        : readStrides(List.of(l), shape).getFirst();
                strides.add(s);
                used.add(elementPointer(l, inPiece ? 0 : dot(piece.origin(), s)));
            }
            used.add(elementPointer(out, dot(piece.origin(), outStrides)));
            loop(List.of(n), box, leaves, strides, used, reads, false);
        }
    }

    private static long dot(long[] index, long[] strides) {
        long o = 0;
        for (int d = 0; d < index.length; d++) o += index[d] * strides[d];
        return o;
    }

    /** A pointer to element {@code at} of stored value {@code v}. */
    private String elementPointer(Value v, long at) {
        String p = pointer(v);
        return at == 0 ? p : f.let("getelementptr inbounds " + Scalars.memoryType(v.dtype()) + ", ptr " + p + ", i64 " + at);
    }

    /**
     * The loop of elementwise kernels {@code kernels} (one, or a sibling group) over
     * {@code shape}: {@code strides} are each kernel's output's then each leaf's, {@code used}
     * each leaf's pointer then each output's, all at the loop's first element; {@code reads} as
     * in {@link LeafAccess}. Siblings share the loads of their common leaves.
     */
    private void loop(List<Node> kernels, Shape shape, List<Value> leaves, List<long[]> strides, List<String> used, Map<Value, Value> reads,
                      boolean mayStream) {
        int outs = kernels.size();
        LoopNest nest = LoopNest.of(shape.dims(), strides);
        boolean flat = nest.dims().length == 1;
        // A flat loop splits on a 64-element boundary, so each part starts on a cache line; a nest splits its outermost loop in halves.
        long split = flat ? ParallelLoop.half(nest.outer(), 64) : nest.outer() / 2;
        boolean streaming = flat && mayStream;
        long cost = 0;
        for (Node n : kernels) cost += fusedCost(n);
        boolean parallel = ParallelLoop.worthSplitting(shape.numElements(), cost);
        ParallelLoop.emit(this, nest.outer(), split, parallel, used, (k, ptr, begin, end, part) -> {
            // Each operand's pointer is moved to the part's first element, so the loop counts from 0
            // and the output's vector stores are visibly aligned.
            IrFunction g = k.f;
            List<String> base = new ArrayList<>();
            for (int i = 0; i < used.size(); i++) {
                Value v = i < leaves.size() ? leaves.get(i) : kernels.get(i - leaves.size()).output();
                long[] own = nest.strides().get(i < leaves.size() ? i + outs : i - leaves.size()); // the nest lists the outputs first
                long stride = own.length == 0 ? 0 : own[0];
                String p = ptr.apply(used.get(i));
                base.add(begin.equals("0") || stride == 0 ? p : g.let("getelementptr inbounds " + Scalars.memoryType(v.dtype()) + ", ptr " + p
                        + ", i64 " + (stride == 1 ? begin : g.let("mul nsw i64 " + begin + ", " + stride))));
            }
            String count = begin.equals("0") ? end : g.let("sub i64 " + end + ", " + begin);
            // Kernel j's element at leaf offsets {@code offs} (one per leaf), as it is stored; {@code memo}
            // holds this position's loads, which siblings share.
            ElementAt valueAt = (j, offs, memo) -> {
                Map<Value, String> ptrs = new IdentityHashMap<>(), at = new IdentityHashMap<>();
                for (int i = 0; i < leaves.size(); i++) {
                    ptrs.put(leaves.get(i), base.get(i));
                    at.put(leaves.get(i), offs.get(i));
                }
                LeafAccess access = new LeafAccess(ptrs, at, reads);
                Node n = kernels.get(j);
                // The interpreter returns the input untouched: read raw, not memoized for others.
                if (isForwarding(n)) return element(k, n.inputs().get(0), access, new IdentityHashMap<>(), false);
                return apply(k, n, operands(k, n, access, memo));
            };
            if (streaming) {
                streamingLoop(k, nest, base.subList(leaves.size(), base.size()), kernels.stream().map(x -> x.output().dtype()).toList(), count,
                        valueAt);
                return;
            }
            // Each output is a buffer of its own: iterations never touch each other's memory.
            String[] independent = module.independentLoop();
            g.accessGroup = independent[0];
            nest.emit(g, "0", count, offsets -> {
                List<String> at = offsets.subList(outs, offsets.size());
                Map<Value, Reg> memo = new IdentityHashMap<>();
                for (int j = 0; j < outs; j++) {
                    Scalars.store(g, kernels.get(j).output().dtype(), valueAt.of(j, at, memo), base.get(leaves.size() + j), offsets.get(j));
                }
            }, independent[1]);
            g.accessGroup = null;
        });
    }

    /** The element of kernel {@code j} of a {@link #loop} at leaf offsets {@code offs}, memoizing the position's loads in {@code memo}. */
    @FunctionalInterface
    private interface ElementAt {
        Reg of(int j, List<String> offs, Map<Value, Reg> memo);
    }

    /**
     * A flat loop whose outputs (one per kernel, all of one element size) are written in whole
     * 64-byte lines with non-temporal stores: each line's elements are computed into stack
     * buffers (a loop the vectorizer turns into vector code), then stored at once, aligned; the
     * last partial line is stored normally.
     */
    private void streamingLoop(KernelContext k, LoopNest nest, List<String> outs, List<DType> t, String count, ElementAt valueAt) {
        IrFunction g = k.f;
        int n = outs.size();
        int line = (int) (Buffer.ALIGNMENT / t.getFirst().byteSize());
        String lines = g.let("udiv i64 " + count + ", " + line);
        // Every kernel's element at flat position i, sharing the position's loads.
        java.util.function.Function<String, List<Reg>> at = i -> {
            List<String> offs = new ArrayList<>();
            for (int op = n; op < nest.strides().size(); op++) {
                long s = nest.strides().get(op)[0];
                offs.add(s == 0 ? "0" : s == 1 ? i : g.let("mul nsw i64 " + i + ", " + s));
            }
            Map<Value, Reg> memo = new IdentityHashMap<>();
            List<Reg> values = new ArrayList<>();
            for (int j = 0; j < n; j++) values.add(valueAt.of(j, offs, memo));
            return values;
        };
        streamLines(k, outs, t, lines, at);
        g.forRange(g.let("mul i64 " + lines + ", " + line), count, i -> {
            List<Reg> values = at.apply(i);
            for (int j = 0; j < n; j++) Scalars.store(g, t.get(j), values.get(j), outs.get(j), i);
        });
        // Streaming stores are weakly ordered: make them visible before the part reports done.
        g.line("fence seq_cst");
    }

    /**
     * Writes elements {@code [0, lines * L)} of the 64-byte aligned {@code out} (L elements of
     * {@code t} to a 64-byte line) with non-temporal stores: each line is computed into a stack
     * buffer (a vectorized loop over {@code at}) and stored at once. The caller fences before
     * the stores must be visible.
     */
    void streamLines(KernelContext k, String out, DType t, String lines, java.util.function.Function<String, Reg> at) {
        streamLines(k, List.of(out), List.of(t), lines, i -> List.of(at.apply(i)));
    }

    /** {@link #streamLines(KernelContext, String, DType, String, java.util.function.Function)} for several outputs of one element size. */
    private void streamLines(KernelContext k, List<String> outs, List<DType> t, String lines, java.util.function.Function<String, List<Reg>> at) {
        IrFunction g = k.f;
        for (String out : outs) assumeAligned(k, out);
        int line = (int) (Buffer.ALIGNMENT / t.getFirst().byteSize());
        List<String> buffers = new ArrayList<>();
        for (DType d : t) buffers.add(g.alloca("[" + line + " x " + Scalars.memoryType(d) + "]"));
        g.forLoop(lines, l -> {
            String first = g.let("mul i64 " + l + ", " + line);
            g.forLoop(Integer.toString(line), j -> {
                List<Reg> values = at.apply(g.let("add i64 " + first + ", " + j));
                for (int o = 0; o < outs.size(); o++) Scalars.store(g, t.get(o), values.get(o), buffers.get(o), j);
            }, module.vectorizeBeforeUnroll());
            for (int o = 0; o < outs.size(); o++) {
                String mem = Scalars.memoryType(t.get(o));
                String vector = "<" + line + " x " + mem + ">";
                String v = g.let("load " + vector + ", ptr " + buffers.get(o) + ", align 16");
                String dst = g.let("getelementptr inbounds " + mem + ", ptr " + outs.get(o) + ", i64 " + first);
                g.line("store " + vector + " " + v + ", ptr " + dst + ", align 64" + module.nontemporal());
            }
        });
    }

    /** Whether {@code v} lives in memory this function knows to be 64-byte aligned (results and scratch). */
    boolean isAligned(Value v) {
        Home h = homes.get(v);
        return h instanceof Home.Result || h instanceof Home.Scratch;
    }

    /** Tells LLVM that {@code p} is 64-byte aligned. */
    void assumeAligned(KernelContext k, String p) {
        module.helper("llvm.assume", "declare void @llvm.assume(i1)");
        k.f.line("call void @llvm.assume(i1 true) [ \"align\"(ptr " + p + ", i64 64) ]");
    }

    /**
     * A matmul's epilogue over rows {@code [begin, end)} of its {@code [rows, cols]} output, in
     * {@code k.f}: the elementwise kernel {@code n} reading the product (and its other inputs, with
     * broadcasting) exactly as {@link #elementwise} would. {@code pointer} maps entry pointers.
     */
    void epilogueRows(KernelContext k, Node n, List<String> used, List<Value> leaves, java.util.function.UnaryOperator<String> pointer,
                      String begin, String end) {
        Value out = n.output();
        Shape shape = types.shape(out);
        IrFunction g = k.f;
        List<long[]> strides = readStrides(leaves, shape);
        long cols = shape.dim(1);
        String o = pointer.apply(used.getLast());
        String[] independent = module.independentLoop(); // the product is read, a buffer of its own written
        g.forRange(begin, end, i -> g.forLoop(Long.toString(cols), j -> {
            g.accessGroup = independent[0];
            Map<Value, String> ptrs = new IdentityHashMap<>(), offs = new IdentityHashMap<>();
            for (int x = 0; x < leaves.size(); x++) {
                long[] s = strides.get(x);
                ptrs.put(leaves.get(x), pointer.apply(used.get(x)));
                String row = s[0] == 0 ? "0" : g.let("mul nsw i64 " + i + ", " + s[0]);
                String col = s[1] == 0 ? "0" : s[1] == 1 ? j : g.let("mul nsw i64 " + j + ", " + s[1]);
                offs.put(leaves.get(x), row.equals("0") ? col : col.equals("0") ? row : g.let("add nsw i64 " + row + ", " + col));
            }
            LeafAccess at = new LeafAccess(ptrs, offs);
            Map<Value, Reg> memo = new IdentityHashMap<>();
            String index = g.let("add nsw i64 " + g.let("mul nsw i64 " + i + ", " + cols) + ", " + j);
            Scalars.store(g, out.dtype(), apply(k, n, operands(k, n, at, memo)), o, index);
            g.accessGroup = null;
        }, independent[1]));
    }

    /** The cost of one element of {@code n} with its fused producers ({@link ParallelLoop#cost}). */
    long fusedCost(Node n) {
        long c = ParallelLoop.cost(n.op());
        for (Value in : n.inputs()) {
            if (plan.isInlined(in)) {
                c += fusedCost(plan.producer(in));
            } else if (plan.isPieced(in)) { // each element is one of its sources'
                long most = 0;
                for (Value s : plan.producer(in).inputs()) if (plan.isInlined(s)) most = Math.max(most, fusedCost(plan.producer(s)));
                c += most;
            }
        }
        return c;
    }

    // ------------------------------------------------------------ control flow

    private void whileLoop(Node n) {
        List<Home> carried = n.outputs().stream().map(homes::get).toList();
        for (int i = 0; i < carried.size(); i++) copy(carried.get(i), n.inputs().get(i));
        Block cond = n.regions().get(0), body = n.regions().get(1);
        for (int i = 0; i < carried.size(); i++) {
            homes.put(cond.params().get(i), carried.get(i));
            homes.put(body.params().get(i), carried.get(i));
        }
        String head = f.newLabel("while"), loop = f.newLabel("while.body"), exit = f.newLabel("while.end");
        f.line("br label %" + head);
        f.block(head);
        block(cond);
        cx.node = n;
        String go = truth(cond.results().get(0));
        f.line("br i1 " + go + ", label %" + loop + ", label %" + exit);
        f.block(loop);
        block(body);
        cx.node = n;
        // A result that is another var's current value is staged first, so that (a, b) -> (b, a) swaps.
        List<Value> next = body.results();
        Map<Integer, Home> staged = new HashMap<>();
        for (int i = 0; i < next.size(); i++) {
            Home h = homes.get(next.get(i));
            if (carried.contains(h) && !h.equals(carried.get(i))) {
                Home tmp = newHome(next.get(i));
                copy(tmp, next.get(i));
                staged.put(i, tmp);
            }
        }
        for (int i = 0; i < next.size(); i++) {
            if (staged.containsKey(i)) copyHome(carried.get(i), staged.get(i), next.get(i));
            else copy(carried.get(i), next.get(i));
        }
        // Stop on a run-time error: later iterations would compute from substituted values.
        String ok = f.let("icmp eq i32 " + f.let("load i32, ptr " + cx.status) + ", 0");
        f.line("br i1 " + ok + ", label %" + head + ", label %" + exit);
        f.block(exit);
    }

    private void cond(Node n) {
        List<Value> operands = n.inputs().subList(1, n.inputs().size());
        String pred = truth(n.inputs().get(0));
        String[] labels = {f.newLabel("then"), f.newLabel("else")};
        String end = f.newLabel("endcond");
        f.line("br i1 " + pred + ", label %" + labels[0] + ", label %" + labels[1]);
        for (int r = 0; r < 2; r++) {
            Block region = n.regions().get(r);
            for (int i = 0; i < operands.size(); i++) homes.put(region.params().get(i), homes.get(operands.get(i)));
            f.block(labels[r]);
            block(region);
            cx.node = n;
            for (int i = 0; i < n.outputs().size(); i++) copy(homes.get(n.outputs().get(i)), region.results().get(i));
            f.line("br label %" + end);
        }
        f.block(end);
    }

    /** A scalar bool value as an i1. */
    private String truth(Value v) {
        if (homes.get(v) instanceof Home.Immediate i) return i.value().getBoolean(0) ? "true" : "false";
        return Scalars.load(f, DType.BOOL, pointer(v), "0", false).name();
    }

    /** Stores {@code v}'s elements at {@code dst} (nothing when it already lives there). */
    private void copy(Home dst, Value v) {
        Home src = homes.get(v);
        if (dst.equals(src)) return;
        if (dst instanceof Home.Growable || src instanceof Home.Growable) {
            arrays.copy(dst, src, types.of(v));
            return;
        }
        if (src instanceof Home.Immediate i) {
            Reg value = Scalars.constant(i.value(), 0, false);
            Scalars.store(f, v.dtype(), value, pointer(dst), "0");
        } else {
            copyBytes(dst, src, bytes(v));
        }
    }

    /** Stores the value of {@code v}'s type held in {@code src} into {@code dst}. */
    private void copyHome(Home dst, Home src, Value v) {
        if (dst instanceof Home.Growable || src instanceof Home.Growable) arrays.copy(dst, src, types.of(v));
        else copyBytes(dst, src, bytes(v));
    }

    private void copyBytes(Home dst, Home src, long n) {
        if (n == 0) return;
        f.line("call void @llvm.memmove.p0.p0.i64(ptr " + pointer(dst) + ", ptr " + pointer(src) + ", i64 " + n + ", i1 false)");
    }
}
