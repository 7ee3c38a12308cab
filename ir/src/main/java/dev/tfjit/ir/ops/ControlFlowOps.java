package dev.tfjit.ir.ops;

import dev.tfjit.ir.Block;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TensorType;

import java.util.ArrayList;
import java.util.List;

/**
 * Structured control flow. Regions take their operands as block parameters and may also use
 * values of enclosing blocks.
 *
 * <ul>
 * <li>{@code while %v0, %v1, ...}: region 0 (cond) maps the loop vars to a {@code bool[]};
 * region 1 (body) maps them to their next values. The outputs are the final loop vars.
 * <li>{@code cond %pred, %a, ...}: region 0 (then) or 1 (else) runs on {@code %a, ...}; both
 * yield the same dtypes, and shapes that differ between branches become unknown dims.
 * </ul>
 */
public final class ControlFlowOps {
    private ControlFlowOps() {}

    public static final OpDef WHILE = OpDef.op("while")
            .variadic(0).regions(2)
            .types((in, a, regions) -> {
                Block cond = regions.get(0), body = regions.get(1);
                List<TensorType> vars = body.paramTypes();
                checkCarried("while", "initial value", in, vars);
                checkCarried("while", "cond params", cond.paramTypes(), vars);
                List<TensorType> c = cond.resultTypes();
                if (c.size() != 1 || c.get(0).dtype() != DType.BOOL || (c.get(0).shape().hasRank() && c.get(0).shape().rank() != 0)) {
                    throw new ShapeError("while: cond must yield one bool[] scalar, got " + c);
                }
                checkCarried("while", "body result", body.resultTypes(), vars);
                return vars;
            })
            .kernel((in, a, regions) -> {
                List<Buffer> vars = in;
                while (regions.run(0, vars).get(0).getBoolean(0)) vars = regions.run(1, vars);
                return vars;
            })
            .build();

    public static final OpDef COND = OpDef.op("cond")
            .variadic(1).regions(2)
            .types((in, a, regions) -> {
                TensorType pred = in.get(0);
                if (pred.dtype() != DType.BOOL || (pred.shape().hasRank() && pred.shape().rank() != 0)) {
                    throw new ShapeError("cond: the predicate must be a bool[] scalar, got " + pred);
                }
                List<TensorType> operands = in.subList(1, in.size());
                checkCarried("cond", "then params", operands, regions.get(0).paramTypes());
                checkCarried("cond", "else params", operands, regions.get(1).paramTypes());
                List<TensorType> t = regions.get(0).resultTypes(), e = regions.get(1).resultTypes();
                if (t.size() != e.size()) {
                    throw new ShapeError("cond: then yields " + t.size() + " values but else yields " + e.size());
                }
                List<TensorType> out = new ArrayList<>();
                for (int i = 0; i < t.size(); i++) {
                    if (t.get(i).dtype() != e.get(i).dtype()) {
                        throw new DTypeError("cond: output " + i + " is " + t.get(i).dtype() + " in then but "
                                + e.get(i).dtype() + " in else");
                    }
                    out.add(new TensorType(t.get(i).dtype(), t.get(i).shape().mostSpecificCommon(e.get(i).shape())));
                }
                return out;
            })
            .kernel((in, a, regions) -> {
                List<Buffer> operands = in.subList(1, in.size());
                return regions.run(in.get(0).getBoolean(0) ? 0 : 1, operands);
            })
            .build();

    /** Loop-carried and branch operands keep their dtype; their shapes must fit the declared one. */
    private static void checkCarried(String op, String what, List<TensorType> actual, List<TensorType> declared) {
        if (actual.size() != declared.size()) {
            throw new ShapeError(op + ": " + what + " has " + actual.size() + " values, expected " + declared.size());
        }
        for (int i = 0; i < actual.size(); i++) {
            TensorType x = actual.get(i), d = declared.get(i);
            if (x.dtype() != d.dtype()) {
                throw new DTypeError(op + ": " + what + " " + i + " is " + x.dtype() + " but the loop var is " + d.dtype());
            }
            if (!d.shape().accepts(x.shape())) {
                throw new ShapeError(op + ": " + what + " " + i + " has shape " + x.shape().irString()
                        + " which does not fit " + d.shape().irString() + " (widen the loop var to an unknown dim)");
            }
        }
    }
}
