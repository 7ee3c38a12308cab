package dev.tfjit.codegen.ptx;

import dev.tfjit.codegen.llvm.ConcreteTypes;
import dev.tfjit.codegen.llvm.DataMovement;
import dev.tfjit.codegen.llvm.ElementwiseLowerings;
import dev.tfjit.codegen.llvm.FunctionEmitter;
import dev.tfjit.codegen.llvm.KernelContext;
import dev.tfjit.codegen.llvm.Reg;
import dev.tfjit.codegen.llvm.Scalars;
import dev.tfjit.ir.Block;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.Broadcast;
import dev.tfjit.ir.ops.ControlFlowOps;
import dev.tfjit.ir.ops.CreationOps;
import dev.tfjit.runtime.cuda.GpuProgram;
import dev.tfjit.runtime.cuda.GpuProgram.Ref;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one graph, at concrete shapes, into kernels and the steps that launch them: each stored
 * value gets a place (an argument, a result buffer, a slice of scratch or a constant), each
 * fused group becomes one kernel in program order, {@code while} and {@code cond} become steps
 * the host drives (their regions' kernels nested inside), and results that live elsewhere (an
 * argument returned as it is, a constant) are copied into their result buffers at the end.
 */
final class GpuGraphEmitter {
    /** The module's IR and the launch plan around it (PTX comes later, from the IR). */
    record Emitted(String ir, long scratchBytes, List<byte[]> constants, List<GpuProgram.Step> steps,
                   List<GpuProgram.ErrorSite> errors) {}

    final ConcreteTypes types;
    final GpuFusion fusion;
    final KernelModule module;
    private final Map<Value, Ref> stored = new IdentityHashMap<>();
    private final Map<Value, Buffer> immediates = new IdentityHashMap<>();
    private final Map<Value, Integer> resultSlots = new IdentityHashMap<>();
    private final List<byte[]> constants = new ArrayList<>();
    /** Where steps go now: the program's list, or a loop's or branch's while its region is emitted. */
    private List<GpuProgram.Step> steps = new ArrayList<>();
    private long scratchBytes = GpuProgram.SCRATCH_START;

    private GpuGraphEmitter(ConcreteTypes types, GpuFusion fusion, KernelModule module) {
        this.types = types;
        this.fusion = fusion;
        this.module = module;
    }

    static Emitted emit(Graph g, ConcreteTypes types, GpuFusion fusion) {
        GpuGraphEmitter e = new GpuGraphEmitter(types, fusion, new KernelModule(KernelModule.identifier(g.name())));
        List<GpuProgram.Step> program = e.steps;
        e.module.errors.within(g); // sites inside loops and branches are located and ordered as the interpreter does
        e.graph(g);
        if (e.steps != program) throw new IllegalStateException("a region's steps were left open");
        e.module.ir.helper("error bits", e.module.errors.finish());
        List<GpuProgram.ErrorSite> errors = e.module.errors.sites().stream()
                .map(s -> new GpuProgram.ErrorSite(s.op(), s.location(), s.message())).toList();
        return new Emitted(e.module.text(), e.scratchBytes, e.constants, e.steps, errors);
    }

    private void graph(Graph g) {
        for (int i = 0; i < g.params().size(); i++) stored.put(g.params().get(i), new Ref(Ref.Space.ARG, i, 0));
        List<Value> results = g.results();
        for (int j = 0; j < results.size(); j++) resultSlots.putIfAbsent(results.get(j), j);
        block(g.body());
        for (int j = 0; j < results.size(); j++) {
            Ref dst = new Ref(Ref.Space.RESULT, j, 0);
            Ref src = ref(results.get(j));
            if (!src.equals(dst)) steps.add(new GpuProgram.Copy(dst, src, bytes(results.get(j))));
        }
    }

    private void node(Node n) {
        if (n.op() == ControlFlowOps.WHILE) {
            whileLoop(n);
            return;
        }
        if (n.op() == ControlFlowOps.COND) {
            cond(n);
            return;
        }
        if (n.op() == CreationOps.CONSTANT) {
            Buffer c = n.attrs().getTensor("value");
            if (c.size() == 1) immediates.put(n.output(), c);
            else stored.put(n.output(), constant(c));
            return;
        }
        Node hero = fusion.heroOf(n);
        if (hero != null) { // part of a hero's epilogue: the hero's kernel runs at the last link
            List<Node> chain = fusion.epilogue(hero);
            if (chain.getLast() == n) heroKernel(hero, n.output());
            return;
        }
        if (n.outputs().size() == 1 && fusion.plan.isInlined(n.output())) return; // computed in its consumer's kernel
        if (DataMovement.isSameBytes(n.op()) && !resultSlots.containsKey(n.output())) {
            Value in = n.inputs().get(0); // same bytes in the same order: the output is another name for the input
            if (immediates.containsKey(in)) immediates.put(n.output(), immediates.get(in));
            else stored.put(n.output(), ref(in));
            return;
        }
        if (GpuFusion.isHero(n)) {
            if (!fusion.isDeferred(n)) heroKernel(n, n.output());
            return;
        }
        for (Value v : n.outputs()) stored.put(v, newHome(v));
        if (ElementwiseLowerings.isElementwise(n.op())) ElementwiseKernel.emit(this, n);
        else if (DataMovement.isSameBytes(n.op())) steps.add(new GpuProgram.Copy(ref(n.output()), ref(n.inputs().get(0)), bytes(n.output())));
        else if (DataMovement.isStrided(n.op())) ElementwiseKernel.emitStrided(this, n);
        else if (TensorArrayKernels.lowers(n.op())) TensorArrayKernels.emit(this, n);
        else throw new IllegalStateException("no GPU lowering for " + n.op().name() + " (GpuLowerability should have rejected it)");
    }

    /** The kernel of a reduction or matmul whose (epilogue's) result is {@code result}. */
    private void heroKernel(Node hero, Value result) {
        stored.put(result, newHome(result));
        if (ReductionKernels.lowers(hero.op())) new ReductionKernels(this, hero, result).emit();
        else new MatMulKernel(this, hero, result).emit();
    }

    // ------------------------------------------------------------ control flow

    /**
     * A loop the host drives ({@link GpuProgram.While}): each loop var has one place (the
     * loop's output), the initial values are copied there, the condition and the body read the
     * vars there, and the body ends by copying the next values in. A next value that is another
     * var's current value is staged first, so that {@code (a, b) -> (b, a)} swaps.
     */
    private void whileLoop(Node n) {
        List<Ref> vars = new ArrayList<>();
        for (Value out : n.outputs()) {
            Ref home = newHome(out);
            stored.put(out, home);
            vars.add(home);
        }
        for (int i = 0; i < vars.size(); i++) copyInto(vars.get(i), n.inputs().get(i));
        Block cond = n.regions().get(0), body = n.regions().get(1);
        for (int i = 0; i < vars.size(); i++) {
            stored.put(cond.params().get(i), vars.get(i));
            stored.put(body.params().get(i), vars.get(i));
        }
        List<GpuProgram.Step> outer = steps;
        List<GpuProgram.Step> condSteps = steps = new ArrayList<>();
        block(cond);
        Ref predicate = ref(cond.results().getFirst());
        List<GpuProgram.Step> bodySteps = steps = new ArrayList<>();
        block(body);
        List<Value> next = body.results();
        Map<Integer, Ref> staged = new HashMap<>();
        for (int i = 0; i < next.size(); i++) {
            Ref src = ref(next.get(i));
            if (vars.contains(src) && !src.equals(vars.get(i))) {
                Ref tmp = scratch(bytes(next.get(i)));
                steps.add(new GpuProgram.Copy(tmp, src, bytes(next.get(i))));
                staged.put(i, tmp);
            }
        }
        for (int i = 0; i < next.size(); i++) {
            if (staged.containsKey(i)) steps.add(new GpuProgram.Copy(vars.get(i), staged.get(i), bytes(next.get(i))));
            else copyInto(vars.get(i), next.get(i));
        }
        steps = outer;
        steps.add(new GpuProgram.While(condSteps, predicate, bodySteps));
    }

    /** A branch the host picks ({@link GpuProgram.Cond}); each branch ends by copying its results to the outputs' places. */
    private void cond(Node n) {
        Ref predicate = ref(n.inputs().getFirst());
        List<Value> operands = n.inputs().subList(1, n.inputs().size());
        List<Ref> outs = new ArrayList<>();
        for (Value out : n.outputs()) {
            Ref home = newHome(out);
            stored.put(out, home);
            outs.add(home);
        }
        List<GpuProgram.Step> outer = steps;
        List<List<GpuProgram.Step>> branches = new ArrayList<>();
        for (Block region : n.regions()) {
            for (int i = 0; i < operands.size(); i++) {
                Value operand = operands.get(i), param = region.params().get(i);
                if (immediates.containsKey(operand)) immediates.put(param, immediates.get(operand));
                else stored.put(param, ref(operand));
            }
            steps = new ArrayList<>();
            block(region);
            for (int i = 0; i < outs.size(); i++) copyInto(outs.get(i), region.results().get(i));
            branches.add(steps);
        }
        steps = outer;
        steps.add(new GpuProgram.Cond(predicate, branches.get(0), branches.get(1)));
    }

    private void block(Block b) {
        for (Node n : b.nodes()) node(n);
    }

    /** Copies {@code v} to {@code dst} unless it already lives there. */
    private void copyInto(Ref dst, Value v) {
        Ref src = ref(v);
        if (!src.equals(dst)) steps.add(new GpuProgram.Copy(dst, src, bytes(v)));
    }

    // ------------------------------------------------------------ memory

    private Ref newHome(Value v) {
        Integer slot = resultSlots.get(v);
        if (slot != null) return new Ref(Ref.Space.RESULT, slot, 0);
        return scratch(bytes(v));
    }

    /** {@code bytes} of scratch that only the current kernels use (partial results). */
    Ref scratch(long bytes) {
        long off = scratchBytes;
        scratchBytes = off + Math.max(256, (bytes + 255) / 256 * 256);
        return new Ref(Ref.Space.SCRATCH, 0, off);
    }

    private Ref constant(Buffer c) {
        constants.add(c.segment().toArray(ValueLayout.JAVA_BYTE));
        return new Ref(Ref.Space.CONSTANT, constants.size() - 1, 0);
    }

    /** Where a stored value lives; a one-element constant is uploaded the first time one is asked for. */
    Ref ref(Value v) {
        Ref r = stored.get(v);
        if (r != null) return r;
        Buffer imm = immediates.get(v);
        if (imm == null) throw new IllegalStateException("value " + v + " has no place in memory");
        r = constant(imm);
        stored.put(v, r);
        return r;
    }

    long bytes(Value v) { return types.shape(v).numElements() * v.dtype().byteSize(); }

    boolean isImmediate(Value v) { return immediates.containsKey(v); }

    /** Ends a kernel and adds the step that launches it. */
    void launch(KernelBuilder k, long gridX, int gridY, int gridZ, boolean gridStride) {
        k.finish();
        steps.add(new GpuProgram.Launch(k.name, Math.max(1, gridX), gridY, gridZ, k.block, gridStride, k.params()));
    }

    // ------------------------------------------------------------ fused elements

    /** The stored values a fused expression for {@code roots} reads, each once; {@code given} values are in registers. */
    List<Value> leaves(List<Value> roots, Map<Value, Reg> given) {
        List<Value> out = new ArrayList<>();
        for (Value r : roots) collectLeaves(r, given, out);
        return out;
    }

    private void collectLeaves(Value v, Map<Value, Reg> given, List<Value> out) {
        if (given.containsKey(v)) return;
        if (fusion.plan.isInlined(v)) {
            for (Value in : fusion.plan.producer(v).inputs()) collectLeaves(in, given, out);
        } else if (!immediates.containsKey(v) && out.stream().noneMatch(x -> x == v)) {
            out.add(v);
        }
    }

    /** Read strides of each leaf over {@code shape} (zero on broadcast dims). */
    List<long[]> readStrides(List<Value> leaves, Shape shape) {
        List<long[]> s = new ArrayList<>();
        for (Value l : leaves) s.add(Broadcast.readStrides(types.shape(l), shape));
        return s;
    }

    /** Each leaf's kernel parameter. */
    Map<Value, String> pointers(KernelBuilder k, List<Value> leaves) {
        Map<Value, String> p = new IdentityHashMap<>();
        for (Value l : leaves) p.put(l, k.param(ref(l), false));
        return p;
    }

    /**
     * The value of {@code v} at one position: loads for leaves (at {@code offsets}, i64), the ops of
     * fused producers in registers, {@code memo} first (a hero's result is seeded there).
     * {@code flushLeaves} is false only where the interpreter reads raw (max/min, data movement).
     */
    Reg element(KernelContext cx, Value v, Map<Value, String> pointers, Map<Value, String> offsets, Map<Value, Reg> memo,
                boolean flushLeaves) {
        Reg known = memo.get(v);
        if (known != null) return known;
        Reg r;
        if (fusion.plan.isInlined(v)) { // epilogue links after the first are inlined too (see GpuFusion)
            Node p = fusion.plan.producer(v);
            List<Reg> in = new ArrayList<>();
            for (Value x : p.inputs()) in.add(element(cx, x, pointers, offsets, memo, true));
            r = FunctionEmitter.apply(cx, p, in);
        } else if (immediates.containsKey(v)) {
            r = Scalars.constant(immediates.get(v), 0, flushLeaves);
        } else {
            String ptr = pointers.get(v), off = offsets.get(v);
            if (ptr == null || off == null) throw new IllegalStateException("leaf " + v + " has no pointer in this kernel");
            r = Scalars.load(cx.f, v.dtype(), ptr, off, flushLeaves);
        }
        memo.put(v, r);
        return r;
    }
}
