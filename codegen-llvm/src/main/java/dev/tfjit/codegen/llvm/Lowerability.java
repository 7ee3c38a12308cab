package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ArrayOps;
import dev.tfjit.ir.ops.ControlFlowOps;
import dev.tfjit.ir.ops.CreationOps;
import dev.tfjit.ir.ops.FusionOps;
import dev.tfjit.ir.ops.IoOps;
import dev.tfjit.ir.ops.JavaCallOps;
import dev.tfjit.ir.ops.SetOps;
import dev.tfjit.ir.ops.StringOps;

/**
 * Whether this backend can compile a graph, decided before anything is generated: every op
 * must have a lowering and no value may be a string. Otherwise compilation fails with an
 * {@link UnimplementedError} naming the op and the user's source line; there is no silent
 * fallback to the interpreter.
 */
final class Lowerability {
    private Lowerability() {}

    static boolean lowers(OpDef op) {
        return op == CreationOps.CONSTANT || op == ControlFlowOps.WHILE || op == ControlFlowOps.COND
                || ReductionEmitter.isReduction(op) || ElementwiseLowerings.isElementwise(op)
                || MatMulEmitter.isMatMul(op) || DataMovement.lowers(op)
                || SoftmaxXentEmitter.lowers(op) || ArgReduceEmitter.lowers(op)
                || TensorArrayEmitter.lowers(op) || ConvEmitter.lowers(op) || SliceEmitter.lowers(op) || ConcatEmitter.lowers(op)
                || PadEmitter.lowers(op) || GatherEmitter.lowers(op) || ScatterEmitter.lowers(op)
                || OneHotEmitter.lowers(op) || CreationEmitter.lowers(op) || SoftmaxEmitter.lowers(op)
                || ScanEmitter.lowers(op) || ReduceLikeEmitter.lowers(op) || TopKEmitter.lowers(op)
                || RandomEmitter.lowers(op);
    }

    /** Why an op is not lowered, for the error; the families here are refused on purpose. */
    static String reason(OpDef op) {
        String name = op.name();
        if (op == ArrayOps.WHERE) return "its output shape is the number of true elements, known only at run time";
        if (op == IoOps.PRINT) return "printing is a Java side effect";
        if (op == JavaCallOps.JAVA_FUNCTION) return "it calls back into Java";
        if (op == FusionOps.FUSION) return "this backend fuses the unfused graph itself";
        if (name.startsWith("ragged_") || name.startsWith("sparse_") || op == SetOps.DENSE_TO_DENSE_SET_OPERATION
                || op == SetOps.SET_SIZE) {
            return "sparse, ragged and set ops are not lowered by the llvm-cpu backend yet (their index lists are run-time data"
                    + " that is validated and ordered, and several have output sizes that depend on it)";
        }
        if (name.startsWith("string_") || name.startsWith("unicode_") || op == StringOps.SUBSTR) {
            return "string tensors are not supported by the llvm-cpu backend";
        }
        return "no lowering is written for it";
    }

    static void check(Graph g) {
        for (int i = 0; i < g.params().size(); i++) {
            if (g.params().get(i).dtype() == DType.STRING) {
                throw new UnimplementedError("@" + g.name() + " argument " + i + " is a string tensor; the llvm-cpu backend computes on numbers and bools only");
            }
        }
        block(g.body());
    }

    private static void block(Block b) {
        for (Node n : b.nodes()) {
            if (!lowers(n.op())) {
                throw new UnimplementedError("the llvm-cpu backend does not lower '" + n.op().name() + "' yet: " + reason(n.op()))
                        .in(n.op().name(), n.location());
            }
            for (Value v : n.outputs()) {
                if (v.dtype() == DType.STRING) {
                    throw new UnimplementedError("string tensors are not supported by the llvm-cpu backend")
                            .in(n.op().name(), n.location());
                }
            }
            for (Block r : n.regions()) block(r);
        }
    }
}
