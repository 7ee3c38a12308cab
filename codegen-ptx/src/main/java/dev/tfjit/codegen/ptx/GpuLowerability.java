package dev.tfjit.codegen.ptx;

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
                || MatMulKernel.lowers(n.op()) || DataMovement.isSameBytes(n.op()) || DataMovement.isStrided(n.op());
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
