package dev.tfjit.ir.ops;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.kernels.Casts;
import dev.tfjit.ir.kernels.Elementwise;
import dev.tfjit.ir.kernels.Elementwise.Binary;
import dev.tfjit.ir.kernels.Elementwise.Compare;
import dev.tfjit.ir.kernels.Elementwise.Unary;

/** Elementwise math, comparisons, logic and casts, with NumPy broadcasting for binary ops. */
public final class ElementwiseOps {
    private ElementwiseOps() {}

    private static OpDef binary(String name, Binary fns) {
        return OpDef.op(name).inputs(2)
                .type((in, a) -> Elementwise.binaryType(name, fns, in))
                .kernel1((in, a) -> Elementwise.binary(fns, in.get(0), in.get(1)))
                .build();
    }

    private static OpDef unary(String name, Unary fns) {
        return OpDef.op(name).inputs(1)
                .type((in, a) -> Elementwise.unaryType(name, fns, in))
                .kernel1((in, a) -> Elementwise.unary(fns, in.get(0)))
                .build();
    }

    private static OpDef compare(String name, Compare fns) {
        return OpDef.op(name).inputs(2)
                .type((in, a) -> Elementwise.compareType(name, fns, in))
                .kernel1((in, a) -> Elementwise.compare(fns, in.get(0), in.get(1)))
                .build();
    }

    public static final OpDef ADD = binary("add", new Binary(Float::sum, Double::sum, Integer::sum, Long::sum, null));

    public static final OpDef SUB = binary("sub", new Binary((x, y) -> x - y, (x, y) -> x - y, (x, y) -> x - y, (x, y) -> x - y, null));

    public static final OpDef MUL = binary("mul", new Binary((x, y) -> x * y, (x, y) -> x * y, (x, y) -> x * y, (x, y) -> x * y, null));

    /** Real division ({@code RealDiv}); integer inputs are cast to float by the API, as TF's truediv does. */
    public static final OpDef DIV = binary("div", new Binary((x, y) -> x / y, (x, y) -> x / y, null, null, null));

    public static final OpDef NEG = unary("neg", new Unary(x -> -x, x -> -x, x -> -x, x -> -x, null));

    public static final OpDef EXP = unary("exp", new Unary(x -> (float) Math.exp(x), Math::exp, null, null, null));

    public static final OpDef LESS = compare("less", new Compare((x, y) -> x < y, (x, y) -> x < y, (x, y) -> x < y, (x, y) -> x < y, null, null));

    public static final OpDef EQUAL = compare("equal", new Compare((x, y) -> x == y, (x, y) -> x == y, (x, y) -> x == y,
            (x, y) -> x == y, (x, y) -> x == y, String::equals));

    /** {@code cast {dtype=...}}: explicit conversion with TensorFlow's rules (see {@link Casts}). */
    public static final OpDef CAST = OpDef.op("cast").inputs(1)
            .type((in, a) -> {
                DType to = a.getDType("dtype");
                if ((in.get(0).dtype() == DType.STRING) != (to == DType.STRING)) {
                    throw new dev.tfjit.ir.DTypeError("Cast " + in.get(0).dtype() + " to " + to + " is not supported");
                }
                return new dev.tfjit.ir.TensorType(to, in.get(0).shape());
            })
            .kernel1((in, a) -> Casts.cast(in.get(0), a.getDType("dtype")))
            .build();
}
