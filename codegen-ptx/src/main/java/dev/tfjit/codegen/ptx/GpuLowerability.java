package dev.tfjit.codegen.ptx;

import dev.tfjit.codegen.llvm.ConcreteTypes;
import dev.tfjit.codegen.llvm.DataMovement;
import dev.tfjit.codegen.llvm.ElementwiseLowerings;
import dev.tfjit.codegen.llvm.ErrorSites;
import dev.tfjit.codegen.llvm.FunctionEmitter;
import dev.tfjit.codegen.llvm.IrFunction;
import dev.tfjit.codegen.llvm.IrModule;
import dev.tfjit.codegen.llvm.KernelContext;
import dev.tfjit.codegen.llvm.Reg;
import dev.tfjit.ir.Block;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.ops.ControlFlowOps;
import dev.tfjit.ir.ops.CreationOps;
import dev.tfjit.ir.ops.TensorArrayOps;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the GPU backend can compile a graph, decided before any code is generated; otherwise
 * an {@link UnimplementedError} naming the op (and dtype) and the user's source line, never a
 * silent fallback. Beyond having a lowering, an elementwise op must not need the C library: the
 * CPU lowerings call libm for some ops (float64 exp, sin, erf, pow, log1p...) and use LLVM's
 * {@code frem}, which NVPTX expands inexactly; a GPU has neither, so those ops are refused until
 * they have GPU implementations. Which ops need what is found by lowering each op once to IR
 * text and looking at the calls it makes (cached per op and dtypes), so new CPU lowerings are
 * judged the same way without a list to keep in sync.
 */
final class GpuLowerability {
    private GpuLowerability() {}

    /** A call to a function that is neither an LLVM intrinsic nor one of tfjit's own IR helpers. */
    private static final Pattern EXTERNAL_CALL = Pattern.compile("call [^\\n]*?@(?!llvm\\.)(?!tfjit_)([A-Za-z_][A-Za-z0-9_.]*)\\(");
    private static final Pattern FREM = Pattern.compile("\\bfrem\\b");

    /** Per op and input dtypes: null when the GPU can compute it, else why not. */
    private static final Map<String, String> ELEMENTWISE = new ConcurrentHashMap<>();

    static boolean lowers(Node n) {
        return n.op() == CreationOps.CONSTANT || n.op() == ControlFlowOps.WHILE || n.op() == ControlFlowOps.COND
                || ElementwiseLowerings.isElementwise(n.op()) || ReductionKernels.lowers(n.op())
                || MatMulKernel.lowers(n.op()) || DataMovement.isSameBytes(n.op()) || DataMovement.isStrided(n.op())
                || TensorArrayKernels.lowers(n.op());
    }

    static void check(Graph g) {
        for (int i = 0; i < g.params().size(); i++) {
            if (g.params().get(i).dtype() == DType.STRING) {
                throw new UnimplementedError("@" + g.name() + " argument " + i + " is a string tensor; the ptx-gpu backend computes on numbers and bools only");
            }
        }
        block(g.body());
    }

    /** Every node of {@code b} and of the regions inside it. */
    private static void block(Block b) {
        for (Node n : b.nodes()) {
            if (!lowers(n)) {
                throw new UnimplementedError("the ptx-gpu backend does not lower '" + n.op().name() + "' yet").in(n.op().name(), n.location());
            }
            for (Value v : n.outputs()) {
                if (v.dtype() == DType.STRING) {
                    throw new UnimplementedError("string tensors are not supported by the ptx-gpu backend").in(n.op().name(), n.location());
                }
            }
            if (ElementwiseLowerings.isElementwise(n.op())) {
                String why = elementwiseProblem(n);
                if (why != null) throw new UnimplementedError(why).in(n.op().name(), n.location());
            }
            for (Block r : n.regions()) block(r);
        }
    }

    /**
     * Refuses a graph in which some value's size is known only at run time: a dynamically sized
     * TensorArray written at an index the compiler cannot know grows while the program runs. A
     * GPU program's memory plan is fixed when it is compiled (every value a place of known
     * bytes), so the ptx-gpu backend has no growing arrays; the write that grows is named, with
     * its source line, or else the first op with such an output.
     */
    static void checkStaticShapes(Graph g, ConcreteTypes types) {
        Node grows = firstGrowing(g.body(), types, true);
        if (grows == null) grows = firstGrowing(g.body(), types, false);
        if (grows == null) return;
        String why = grows.op() == TensorArrayOps.TENSOR_ARRAY_WRITE
                ? "the ptx-gpu backend does not lower dynamically sized TensorArrays that grow at run time: this write's index is"
                  + " known only at run time, so the array's size is too, and a GPU program's memory is planned at compile time;"
                  + " give the TensorArray a fixed size (dynamicSize false) or compile for llvm-cpu"
                : "the ptx-gpu backend needs every size known at compile time, but output " + unknownOutput(grows, types) + " has shape "
                  + types.shape(grows.outputs().get(unknownOutput(grows, types))).irString()
                  + " (a dynamically sized TensorArray that grows at run time); compile for llvm-cpu";
        throw new UnimplementedError(why).in(grows.op().name(), grows.location());
    }

    /** The first node (program order, regions included) with an output of unknown size; only TensorArray writes if {@code writes}. */
    private static Node firstGrowing(Block b, ConcreteTypes types, boolean writes) {
        for (Node n : b.nodes()) {
            if ((!writes || n.op() == TensorArrayOps.TENSOR_ARRAY_WRITE) && unknownOutput(n, types) >= 0) return n;
            for (Block r : n.regions()) {
                Node inner = firstGrowing(r, types, writes);
                if (inner != null) return inner;
            }
        }
        return null;
    }

    private static int unknownOutput(Node n, ConcreteTypes types) {
        for (int i = 0; i < n.outputs().size(); i++) if (!types.shape(n.outputs().get(i)).isFullyKnown()) return i;
        return -1;
    }

    /** Why the GPU cannot compute elementwise node {@code n}, or null. */
    static String elementwiseProblem(Node n) {
        StringBuilder key = new StringBuilder(n.op().name());
        for (Value v : n.inputs()) key.append(' ').append(v.dtype());
        key.append(" -> ").append(n.output().dtype()).append(' ').append(n.attrs());
        String cached = ELEMENTWISE.get(key.toString());
        if (cached != null) return cached.isEmpty() ? null : cached;
        String why = probe(n);
        ELEMENTWISE.put(key.toString(), why == null ? "" : why);
        return why;
    }

    /** Lowers one element of {@code n} into a scratch function and inspects what it calls. */
    private static String probe(Node n) {
        IrModule m = new IrModule();
        IrFunction f = new IrFunction("define void @probe()");
        KernelContext cx = new KernelContext(m, f, f.alloca("i32"), new ErrorSites());
        List<Reg> in = new ArrayList<>();
        for (int i = 0; i < n.inputs().size(); i++) in.add(new Reg("%in" + i, ComputeType.of(n.inputs().get(i).dtype())));
        FunctionEmitter.apply(cx, n, in);
        m.add(f);
        String text = m.text("");
        String dtypes = n.inputs().stream().map(v -> v.dtype().toString()).distinct().reduce((a, b) -> a + ", " + b).orElse("");
        Matcher call = EXTERNAL_CALL.matcher(text);
        if (call.find()) {
            return "the ptx-gpu backend has no GPU implementation of '" + n.op().name() + "' on " + dtypes
                    + " (the CPU backend calls the C library's " + call.group(1) + ")";
        }
        if (FREM.matcher(text).find()) {
            return "the ptx-gpu backend has no exact GPU implementation of '" + n.op().name() + "' on " + dtypes
                    + " (a floating-point remainder)";
        }
        return null;
    }
}
