package dev.tfjit.ir.ops;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.format.PrintFormat;

import java.util.List;

/** Ops whose point is an effect outside the graph: printing. */
public final class IoOps {
    private IoOps() {}

    /**
     * {@code print %a, %b {sep=" ", end="\n", stream="stderr", summarize=3}}: {@code tf.print}. Staged, so it
     * runs on every call of a compiled function, in program order with other side effects.
     */
    public static final OpDef PRINT = OpDef.op("print").variadic(0)
            .effect(OpDef.Effect.SIDE_EFFECT)
            .types((in, a, r) -> List.of())
            .kernel((in, a, r) -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < in.size(); i++) {
                    if (i > 0) sb.append(a.getString("sep", " "));
                    sb.append(PrintFormat.format(in.get(i), (int) a.getLong("summarize", PrintFormat.DEFAULT_SUMMARIZE)));
                }
                sb.append(a.getString("end", "\n"));
                ("stdout".equals(a.getString("stream", "stderr")) ? System.out : System.err).print(sb);
                return List.<Buffer>of();
            })
            .build();
}
