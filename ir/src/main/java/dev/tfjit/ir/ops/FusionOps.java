package dev.tfjit.ir.ops;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TensorType;

import java.util.List;
import java.util.Set;

/**
 * The {@code fusion} op, which the fusion pass builds and the code generators lower as one
 * kernel:
 *
 * <pre>
 * %r0, %r1 = fusion %a, %b {kind="loop"} : f32[8], f32[8] {
 * ^(%p0: f32[8], %p1: f32[]):
 *   %0 = mul %p0, %p1 : f32[8]
 *   %1 = exp %0 : f32[8]
 *   yield %0, %1
 * }
 * </pre>
 *
 * The inputs are the values the kernel reads from memory; the one region takes them as its
 * params, in order, and yields the values the kernel writes (several for a multi-output fusion).
 * The region is closed: it uses only its params and its own nodes, has no nested regions and
 * only pure ops (the verifier checks this), so a backend needs nothing outside the node.
 * {@code kind} says how to emit the loops:
 * <ul>
 * <li>{@code loop}: elementwise and index-arithmetic ops; every result has the loop shape
 * (the first result's shape), so one loop nest over it writes them all.
 * <li>{@code input}: a reduction (the hero) with an elementwise/index-arithmetic prologue
 * computed in its input's index space and an elementwise epilogue in its output's index space;
 * several reductions over the same input shape and axes may share the fusion (multi-output).
 * <li>{@code output}: a matmul (the hero), read by the tuned kernel from memory, with an
 * elementwise epilogue (bias add, activation) applied to its output tile before the store.
 * </ul>
 * The reference kernel simply runs the region, so interpreting a fused graph gives exactly the
 * results of the unfused one.
 */
public final class FusionOps {
    private FusionOps() {}

    /** The values of the {@code kind} attribute. */
    public static final Set<String> KINDS = Set.of("loop", "input", "output");

    public static final OpDef FUSION = OpDef.op("fusion").variadic(0).regions(1)
            .types((in, a, regions) -> {
                String kind = a.getString("kind");
                if (!KINDS.contains(kind)) {
                    throw new InvalidArgumentError("fusion: kind must be \"loop\", \"input\" or \"output\", got \"" + kind + "\"");
                }
                Block body = regions.get(0);
                List<TensorType> params = body.paramTypes();
                if (params.size() != in.size()) {
                    throw new ShapeError("fusion: the region takes " + params.size() + " params but the node has " + in.size() + " inputs");
                }
                for (int i = 0; i < in.size(); i++) {
                    if (in.get(i).dtype() != params.get(i).dtype()) {
                        throw new DTypeError("fusion: input " + i + " is " + in.get(i).dtype() + " but region param " + i
                                + " is " + params.get(i).dtype());
                    }
                    if (!in.get(i).shape().equals(params.get(i).shape())) {
                        throw new ShapeError("fusion: input " + i + " has shape " + in.get(i).shape().irString()
                                + " but region param " + i + " has shape " + params.get(i).shape().irString());
                    }
                }
                if (body.results().isEmpty()) throw new InvalidArgumentError("fusion: the region must yield at least one value");
                return body.resultTypes();
            })
            .kernel((in, a, regions) -> regions.run(0, in))
            .build();
}
