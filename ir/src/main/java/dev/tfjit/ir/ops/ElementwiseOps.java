package dev.tfjit.ir.ops;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.GradientBuilder;
import dev.tfjit.ir.GradientRule;
import dev.tfjit.ir.Operand;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.kernels.AllowedTypes;
import dev.tfjit.ir.kernels.Casts;
import dev.tfjit.ir.kernels.DenseArith;
import dev.tfjit.ir.kernels.DenseUnary;
import dev.tfjit.ir.kernels.Elementwise;
import dev.tfjit.ir.kernels.Elementwise.Binary;
import dev.tfjit.ir.kernels.Elementwise.Classify;
import dev.tfjit.ir.kernels.Elementwise.Compare;
import dev.tfjit.ir.kernels.Elementwise.Unary;
import dev.tfjit.ir.kernels.FloatMath;
import dev.tfjit.ir.kernels.ScalarMath;

import java.util.List;

import static dev.tfjit.ir.OpDef.FusionKind.ELEMENTWISE;
import static dev.tfjit.ir.kernels.AllowedTypes.*;

/**
 * Elementwise math, comparisons, logic and casts, with NumPy broadcasting for binary ops. Each
 * op names the raw TensorFlow op it mirrors and that op's registered dtype list, so a rejected
 * dtype gets TensorFlow's message; narrow dtypes compute in float32/int32 (see ComputeType).
 */
public final class ElementwiseOps {
    private ElementwiseOps() {}

    private static OpDef binary(String name, String tfOp, String allowed, Binary fns, GradientRule grad) {
        return binary(name, tfOp, allowed, fns, false, grad);
    }

    /** A binary op that fusion must not recompute per user (divisions, pow). */
    private static OpDef expensiveBinary(String name, String tfOp, String allowed, Binary fns, GradientRule grad) {
        return binary(name, tfOp, allowed, fns, true, grad);
    }

    private static OpDef binary(String name, String tfOp, String allowed, Binary fns, boolean expensive, GradientRule grad) {
        AllowedTypes types = AllowedTypes.of(tfOp, allowed);
        return OpDef.op(name).inputs(2).fusion(ELEMENTWISE).fusion(ELEMENTWISE).expensive(expensive)
                .type((in, a) -> Elementwise.binaryType(types, fns, in))
                .kernel1((in, a) -> Elementwise.binary(fns, in.get(0), in.get(1)))
                .gradient(grad)
                .build();
    }

    private static OpDef unary(String name, String tfOp, String allowed, Unary fns, GradientRule grad) {
        return unary(name, tfOp, allowed, fns, false, grad);
    }

    /** A unary op that fusion must not recompute per user (transcendentals, roots, reciprocals). */
    private static OpDef expensiveUnary(String name, String tfOp, String allowed, Unary fns, GradientRule grad) {
        return unary(name, tfOp, allowed, fns, true, grad);
    }

    private static OpDef unary(String name, String tfOp, String allowed, Unary fns, boolean expensive, GradientRule grad) {
        AllowedTypes types = AllowedTypes.of(tfOp, allowed);
        return OpDef.op(name).inputs(1).fusion(ELEMENTWISE).fusion(ELEMENTWISE).expensive(expensive)
                .type((in, a) -> Elementwise.unaryType(types, fns, in))
                .kernel1((in, a) -> Elementwise.unary(fns, in.get(0)))
                .gradient(grad)
                .build();
    }

    private static OpDef compare(String name, String tfOp, String allowed, Compare fns) {
        AllowedTypes types = AllowedTypes.of(tfOp, allowed);
        return OpDef.op(name).inputs(2).fusion(ELEMENTWISE)
                .type((in, a) -> Elementwise.compareType(types, fns, in))
                .kernel1((in, a) -> Elementwise.compare(fns, in.get(0), in.get(1)))
                .gradient(GradientRule.NONE)
                .build();
    }

    private static OpDef classify(String name, String tfOp, Classify fns) {
        AllowedTypes types = AllowedTypes.of(tfOp, UNARY_REAL);
        return OpDef.op(name).inputs(1).fusion(ELEMENTWISE)
                .type((in, a) -> Elementwise.classifyType(types, in))
                .kernel1((in, a) -> Elementwise.classify(fns, in.get(0)))
                .gradient(GradientRule.NONE)
                .build();
    }

    /** Logical ops take bool only; TF reports other dtypes as an input mismatch, not an attr error. */
    private static OpDef logical(String name, String tfOp, int arity, Binary fns, Unary not) {
        AllowedTypes types = AllowedTypes.of(tfOp, BOOL);
        return OpDef.op(name).inputs(arity).fusion(ELEMENTWISE)
                .type((in, a) -> {
                    for (int i = 0; i < in.size(); i++) {
                        DType t = in.get(i).dtype();
                        if (t != DType.BOOL) {
                            throw new DTypeError("cannot compute " + tfOp + " as input #" + i + "(zero-based) was expected to be a bool tensor but is a "
                                    + tfInternalName(t) + " tensor");
                        }
                    }
                    return arity == 1 ? Elementwise.unaryType(types, not, in) : Elementwise.binaryType(types, fns, in);
                })
                .kernel1((in, a) -> arity == 1 ? Elementwise.unary(not, in.get(0)) : Elementwise.binary(fns, in.get(0), in.get(1)))
                .gradient(GradientRule.NONE)
                .build();
    }

    /** Maximum/minimum: the gradient goes to x where {@code xWins}, else to y (ties go to x, as in TF). */
    private static List<Operand> minMaxGrad(GradientBuilder g, GradientRule.Call c, Operand xWins) {
        return List.of(g.sumTo(g.gradWhere(xWins, c.dy()), c.x(0)), g.sumTo(g.gradElse(xWins, c.dy()), c.x(1)));
    }

    // ------------------------------------------------------------ arithmetic

    public static final OpDef ADD = binary("add", "AddV2", ADD_V2,
            new Binary(Float::sum, Double::sum, Integer::sum, Long::sum, null, DenseArith.ADD),
            (g, c) -> List.of(g.sumTo(c.dy(), c.x(0)), g.sumTo(c.dy(), c.x(1))));

    public static final OpDef SUB = binary("sub", "Sub", BINARY_MORE,
            new Binary((x, y) -> x - y, (x, y) -> x - y, (x, y) -> x - y, (x, y) -> x - y, null, DenseArith.SUB),
            (g, c) -> List.of(g.sumTo(c.dy(), c.x(0)), g.sumTo(g.neg(c.dy()), c.x(1))));

    public static final OpDef MUL = binary("mul", "Mul", BINARY_MORE,
            new Binary((x, y) -> x * y, (x, y) -> x * y, (x, y) -> x * y, (x, y) -> x * y, null, DenseArith.MUL),
            (g, c) -> List.of(g.sumTo(g.mul(c.dy(), c.x(1)), c.x(0)), g.sumTo(g.mul(c.x(0), c.dy()), c.x(1))));

    /**
     * Real division ({@code RealDiv}); TF registers no CPU kernel for integers, so the API casts
     * them to float first, as Python's truediv does.
     */
    public static final OpDef DIV = expensiveBinary("div", "RealDiv", BINARY_MORE,
            new Binary((x, y) -> x / y, (x, y) -> x / y, null, null, null, DenseArith.DIV),
            (g, c) -> List.of(g.sumTo(g.div(c.dy(), c.x(1)), c.x(0)),
                    g.sumTo(g.mul(c.dy(), g.div(g.div(g.neg(c.x(0)), c.x(1)), c.x(1))), c.x(1))));

    /** {@code DivNoNan}: x / y, but 0 wherever y is 0 (even for x = NaN or inf). */
    public static final OpDef DIV_NO_NAN = expensiveBinary("div_no_nan", "DivNoNan", "half, float, bfloat16, double, complex64, complex128",
            new Binary((x, y) -> y == 0 ? 0f : x / y, (x, y) -> y == 0 ? 0.0 : x / y, null, null, null),
            (g, c) -> List.of(g.sumTo(g.divNoNan(c.dy(), c.x(1)), c.x(0)),
                    g.sumTo(g.mul(c.dy(), g.divNoNan(g.divNoNan(g.neg(c.x(0)), c.x(1)), c.x(1))), c.x(1))));

    /**
     * {@code AddN}: the sum of any number of tensors of one dtype and shape (no broadcasting),
     * added left to right, each partial sum stored (and flushed) like a separate add.
     */
    public static final OpDef ADD_N = OpDef.op("add_n").variadic(1)
            .type((in, a) -> {
                AllowedTypes types = AllowedTypes.of("AddN", "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, uint64, complex64, complex128");
                DType t = Elementwise.sameDType("AddN", in);
                types.check(t);
                Shape shape = in.get(0).shape();
                for (TensorType x : in) shape = Elementwise.mergeShapes("AddN", shape, x.shape());
                return new TensorType(t, shape);
            })
            .kernel1((in, a) -> {
                for (int i = 1; i < in.size(); i++) {
                    Buffer b = in.get(i);
                    if (!b.shape().equals(in.get(0).shape())) {
                        throw new InvalidArgumentError("Inputs to operation AddN of type AddN must have the same size and shape.  Input 0: "
                                + in.get(0).shape().brief() + " != input " + i + ": " + b.shape().brief());
                    }
                }
                Buffer sum = in.get(0);
                for (int i = 1; i < in.size(); i++) sum = ADD.evaluate(List.of(sum, in.get(i)), Attrs.EMPTY).get(0);
                return sum;
            })
            .gradient((g, c) -> java.util.Collections.nCopies(c.inputs().size(), c.dy()))
            .build();

    /** {@code FloorDiv}: floor(x / y) for floats, rounding toward -inf for ints (division by zero is an error). */
    public static final OpDef FLOOR_DIV = expensiveBinary("floor_div", "FloorDiv", BINARY_MORE,
            new Binary(ScalarMath::floorDiv, ScalarMath::floorDiv, ScalarMath::floorDiv, ScalarMath::floorDiv, null),
            GradientRule.NONE);

    /** {@code FloorMod}: the result has the divisor's sign. */
    public static final OpDef FLOOR_MOD = expensiveBinary("floor_mod", "FloorMod", AllowedTypes.FLOOR_MOD,
            new Binary(ScalarMath::floorMod, ScalarMath::floorMod, ScalarMath::floorMod, ScalarMath::floorMod, null),
            (g, c) -> List.of(g.sumTo(c.dy(), c.x(0)), g.sumTo(g.mul(c.dy(), g.neg(g.floorDiv(c.x(0), c.x(1)))), c.x(1))));

    /** {@code TruncateDiv}: C division toward zero; TF has CPU kernels for integers only. */
    public static final OpDef TRUNCATE_DIV = expensiveBinary("truncate_div", "TruncateDiv", BINARY_MORE,
            new Binary(null, null, ScalarMath::truncateDiv, ScalarMath::truncateDiv, null),
            GradientRule.NONE);

    /** {@code TruncateMod}: C's remainder (fmod for floats), with the dividend's sign. */
    public static final OpDef TRUNCATE_MOD = expensiveBinary("truncate_mod", "TruncateMod", AllowedTypes.TRUNCATE_MOD,
            new Binary((x, y) -> x % y, (x, y) -> x % y, ScalarMath::truncateMod, ScalarMath::truncateMod, null),
            GradientRule.NONE);

    public static final OpDef POW = expensiveBinary("pow", "Pow", AllowedTypes.POW,
            new Binary((x, y) -> (float) ScalarMath.pow(x, y), ScalarMath::pow, ScalarMath::pow, ScalarMath::pow, null),
            (g, c) -> List.of(
                    g.sumTo(g.mul(c.dy(), g.mul(c.x(1), g.pow(c.x(0), g.sub(c.x(1), g.scalarLike(c.x(1), 1))))), c.x(0)),
                    g.sumTo(g.mul(g.mul(c.dy(), c.y()), g.select(g.greater(c.x(0), g.zerosLike(c.x(0))), g.log(c.x(0)), g.zerosLike(c.x(0)))), c.x(1))));

    public static final OpDef MAXIMUM = binary("maximum", "Maximum", MAX_MIN,
            new Binary(ScalarMath::maximum, ScalarMath::maximum, Math::max, Math::max, null),
            (g, c) -> minMaxGrad(g, c, g.greaterEqual(c.x(0), c.x(1))));

    public static final OpDef MINIMUM = binary("minimum", "Minimum", MAX_MIN,
            new Binary(ScalarMath::minimum, ScalarMath::minimum, Math::min, Math::min, null),
            (g, c) -> minMaxGrad(g, c, g.lessEqual(c.x(0), c.x(1))));

    public static final OpDef SQUARED_DIFFERENCE = binary("squared_difference", "SquaredDifference", AllowedTypes.SQUARED_DIFFERENCE,
            new Binary((x, y) -> (x - y) * (x - y), (x, y) -> (x - y) * (x - y), (x, y) -> (x - y) * (x - y), (x, y) -> (x - y) * (x - y), null),
            (g, c) -> {
                Operand dx = g.mul(c.dy(), g.mul(g.sub(c.x(0), c.x(1)), 2));
                return List.of(g.sumTo(dx, c.x(0)), g.sumTo(g.neg(dx), c.x(1)));
            });

    public static final OpDef NEG = unary("neg", "Neg", UNARY, new Unary(x -> -x, x -> -x, x -> -x, x -> -x, null, DenseUnary.NEG),
            GradientRule.of1((g, c) -> g.neg(c.dy())));

    // ------------------------------------------------------------ elementwise math

    public static final OpDef ABS = unary("abs", "Abs", AllowedTypes.ABS, new Unary(Math::abs, Math::abs, Math::abs, Math::abs, null, DenseUnary.ABS),
            GradientRule.of1((g, c) -> g.mul(c.dy(), g.sign(c.x()))));

    public static final OpDef SIGN = unary("sign", "Sign", UNARY,
            new Unary(ScalarMath::sign, ScalarMath::sign, Integer::signum, x -> Long.signum(x), null),
            GradientRule.of1((g, c) -> g.zerosLike(c.x())));

    public static final OpDef SQUARE = unary("square", "Square", UNARY, new Unary(x -> x * x, x -> x * x, x -> x * x, x -> x * x, null, DenseUnary.SQUARE),
            GradientRule.of1((g, c) -> g.mul(c.dy(), g.mul(c.x(), 2))));

    /** {@code Reciprocal}: 1 / x; for integers C division, so 1 / 0 is an error. */
    public static final OpDef RECIPROCAL = expensiveUnary("reciprocal", "Reciprocal", UNARY,
            new Unary(x -> 1f / x, x -> 1 / x, x -> ScalarMath.truncateDiv(1, x), x -> ScalarMath.truncateDiv(1L, x), null),
            GradientRule.of1((g, c) -> g.neg(g.mul(c.dy(), g.square(c.y())))));

    public static final OpDef SQRT = expensiveUnary("sqrt", "Sqrt", UNARY_COMPLEX, new Unary(x -> (float) Math.sqrt(x), Math::sqrt, null, null, null),
            GradientRule.of1((g, c) -> g.div(g.mul(c.dy(), 0.5), c.y())));

    public static final OpDef RSQRT = expensiveUnary("rsqrt", "Rsqrt", UNARY_COMPLEX,
            new Unary(x -> (float) (1 / Math.sqrt(x)), x -> 1 / Math.sqrt(x), null, null, null),
            GradientRule.of1((g, c) -> g.mul(g.mul(c.dy(), -0.5), g.mul(g.square(c.y()), c.y()))));

    public static final OpDef EXP = expensiveUnary("exp", "Exp", UNARY_COMPLEX, new Unary(FloatMath::exp, Math::exp, null, null, null),
            GradientRule.of1((g, c) -> g.mul(c.dy(), c.y())));

    public static final OpDef EXPM1 = expensiveUnary("expm1", "Expm1", UNARY_COMPLEX, new Unary(x -> (float) Math.expm1(x), Math::expm1, null, null, null),
            GradientRule.of1((g, c) -> g.mul(c.dy(), g.exp(c.x()))));

    public static final OpDef LOG = expensiveUnary("log", "Log", UNARY_COMPLEX, new Unary(x -> (float) Math.log(x), Math::log, null, null, null),
            GradientRule.of1((g, c) -> g.mul(c.dy(), g.reciprocal(c.x()))));

    public static final OpDef LOG1P = expensiveUnary("log1p", "Log1p", UNARY_COMPLEX, new Unary(x -> (float) Math.log1p(x), Math::log1p, null, null, null),
            GradientRule.of1((g, c) -> g.mul(c.dy(), g.reciprocal(g.add(g.scalarLike(c.x(), 1), c.x())))));

    public static final OpDef SIN = expensiveUnary("sin", "Sin", UNARY_COMPLEX, new Unary(x -> (float) Math.sin(x), Math::sin, null, null, null),
            GradientRule.of1((g, c) -> g.mul(c.dy(), g.cos(c.x()))));

    public static final OpDef COS = expensiveUnary("cos", "Cos", UNARY_COMPLEX, new Unary(x -> (float) Math.cos(x), Math::cos, null, null, null),
            GradientRule.of1((g, c) -> g.neg(g.mul(c.dy(), g.sin(c.x())))));

    public static final OpDef ERF = expensiveUnary("erf", "Erf", UNARY_REAL, new Unary(x -> (float) ScalarMath.erf(x), ScalarMath::erf, null, null, null),
            GradientRule.of1((g, c) -> g.mul(c.dy(), g.mul(g.exp(g.neg(g.square(c.x()))), 2 / Math.sqrt(Math.PI)))));

    public static final OpDef FLOOR = unary("floor", "Floor", UNARY_REAL, new Unary(x -> (float) Math.floor(x), Math::floor, null, null, null),
            GradientRule.NONE);

    public static final OpDef CEIL = unary("ceil", "Ceil", UNARY_REAL, new Unary(x -> (float) Math.ceil(x), Math::ceil, null, null, null),
            GradientRule.NONE);

    /** {@code Round}: half to even, keeping the sign of zero; integers are unchanged. */
    public static final OpDef ROUND = unary("round", "Round", UNARY, new Unary(x -> (float) Math.rint(x), Math::rint, x -> x, x -> x, null),
            GradientRule.NONE);

    public static final OpDef IS_NAN = classify("is_nan", "IsNan", new Classify(Float::isNaN, Double::isNaN));

    public static final OpDef IS_INF = classify("is_inf", "IsInf", new Classify(Float::isInfinite, Double::isInfinite));

    public static final OpDef IS_FINITE = classify("is_finite", "IsFinite", new Classify(Float::isFinite, Double::isFinite));

    // ------------------------------------------------------------ activations

    public static final OpDef SIGMOID = expensiveUnary("sigmoid", "Sigmoid", UNARY_COMPLEX,
            new Unary(FloatMath::sigmoid, ScalarMath::sigmoid, null, null, null),
            GradientRule.of1((g, c) -> g.mul(c.dy(), g.mul(c.y(), g.sub(g.scalarLike(c.y(), 1), c.y())))));

    public static final OpDef TANH = expensiveUnary("tanh", "Tanh", UNARY_COMPLEX, new Unary(FloatMath::tanh, Math::tanh, null, null, null),
            GradientRule.of1((g, c) -> g.mul(c.dy(), g.sub(g.scalarLike(c.y(), 1), g.square(c.y())))));

    public static final OpDef RELU = unary("relu", "Relu", REAL_NUMBER + ", qint8",
            new Unary(ScalarMath::relu, ScalarMath::relu, x -> Math.max(x, 0), x -> Math.max(x, 0L), null, DenseUnary.RELU),
            GradientRule.of1((g, c) -> g.gradWhere(g.greater(c.x(), g.zerosLike(c.x())), c.dy())));

    public static final OpDef RELU6 = unary("relu6", "Relu6", REAL_NUMBER,
            new Unary(ScalarMath::relu6, ScalarMath::relu6, x -> Math.min(Math.max(x, 0), 6), x -> Math.min(Math.max(x, 0L), 6L), null),
            GradientRule.of1((g, c) -> g.gradWhere(g.logicalAnd(g.greater(c.x(), g.zerosLike(c.x())), g.less(c.x(), g.scalarLike(c.x(), 6))), c.dy())));

    public static final OpDef ELU = expensiveUnary("elu", "Elu", FLOATING, new Unary(ScalarMath::elu, ScalarMath::elu, null, null, null),
            GradientRule.of1((g, c) -> g.select(g.less(c.y(), g.zerosLike(c.y())), g.mul(c.dy(), g.add(c.y(), g.scalarLike(c.y(), 1))), c.dy())));

    public static final OpDef SELU = expensiveUnary("selu", "Selu", FLOATING, new Unary(ScalarMath::selu, ScalarMath::selu, null, null, null),
            GradientRule.of1((g, c) -> g.select(g.less(c.y(), g.zerosLike(c.y())),
                    g.mul(c.dy(), g.add(c.y(), g.scalarLike(c.y(), ScalarMath.SELU_SCALE_ALPHA))), g.mul(c.dy(), ScalarMath.SELU_SCALE))));

    public static final OpDef SOFTPLUS = expensiveUnary("softplus", "Softplus", FLOATING, new Unary(ScalarMath::softplus, ScalarMath::softplus, null, null, null),
            GradientRule.of1((g, c) -> g.mul(c.dy(), g.sigmoid(c.x()))));

    public static final OpDef SOFTSIGN = expensiveUnary("softsign", "Softsign", FLOATING, new Unary(ScalarMath::softsign, ScalarMath::softsign, null, null, null),
            GradientRule.of1((g, c) -> g.div(c.dy(), g.square(g.add(g.scalarLike(c.x(), 1), g.abs(c.x()))))));

    /**
     * {@code LeakyRelu {alpha}}: x for x > 0, else alpha * x. TF stores alpha as a float32 attr,
     * so float64 inputs multiply by the float32-rounded alpha.
     */
    public static final OpDef LEAKY_RELU = OpDef.op("leaky_relu").inputs(1).fusion(ELEMENTWISE)
            .type((in, a) -> {
                AllowedTypes.of("LeakyRelu", FLOATING).check(in.get(0).dtype());
                a.getDouble("alpha");
                return in.get(0);
            })
            .kernel1((in, a) -> {
                float alpha = (float) a.getDouble("alpha");
                double alpha64 = alpha;
                return Elementwise.unary(new Unary(x -> x > 0 ? x : x * alpha, x -> x > 0 ? x : x * alpha64, null, null, null), in.get(0));
            })
            .gradient(GradientRule.of1((g, c) -> g.select(g.greater(c.x(), g.zerosLike(c.x())), c.dy(), g.mul(c.dy(), (float) c.attrs().getDouble("alpha")))))
            .build();

    // ------------------------------------------------------------ comparison and logic

    public static final OpDef LESS = compare("less", "Less", REAL_NUMBER,
            new Compare((x, y) -> x < y, (x, y) -> x < y, (x, y) -> x < y, (x, y) -> x < y, null, null));

    public static final OpDef LESS_EQUAL = compare("less_equal", "LessEqual", REAL_NUMBER,
            new Compare((x, y) -> x <= y, (x, y) -> x <= y, (x, y) -> x <= y, (x, y) -> x <= y, null, null));

    public static final OpDef GREATER = compare("greater", "Greater", REAL_NUMBER,
            new Compare((x, y) -> x > y, (x, y) -> x > y, (x, y) -> x > y, (x, y) -> x > y, null, null));

    public static final OpDef GREATER_EQUAL = compare("greater_equal", "GreaterEqual", REAL_NUMBER,
            new Compare((x, y) -> x >= y, (x, y) -> x >= y, (x, y) -> x >= y, (x, y) -> x >= y, null, null));

    public static final OpDef EQUAL = compare("equal", "Equal", ALL_TYPES, new Compare((x, y) -> x == y, (x, y) -> x == y, (x, y) -> x == y,
            (x, y) -> x == y, (x, y) -> x == y, String::equals));

    public static final OpDef NOT_EQUAL = compare("not_equal", "NotEqual", ALL_TYPES, new Compare((x, y) -> x != y, (x, y) -> x != y,
            (x, y) -> x != y, (x, y) -> x != y, (x, y) -> x != y, (x, y) -> !x.equals(y)));

    public static final OpDef LOGICAL_AND = logical("logical_and", "LogicalAnd", 2,
            new Binary(null, null, null, null, (x, y) -> x && y), null);

    public static final OpDef LOGICAL_OR = logical("logical_or", "LogicalOr", 2,
            new Binary(null, null, null, null, (x, y) -> x || y), null);

    public static final OpDef LOGICAL_NOT = logical("logical_not", "LogicalNot", 1,
            null, new Unary(null, null, null, null, x -> !x));

    // ------------------------------------------------------------ casts

    /** {@code cast {dtype=...}}: explicit conversion with TensorFlow's rules (see {@link Casts}). */
    public static final OpDef CAST = OpDef.op("cast").inputs(1).fusion(ELEMENTWISE)
            .type((in, a) -> {
                DType from = in.get(0).dtype(), to = a.getDType("dtype");
                if ((from == DType.STRING) != (to == DType.STRING)) {
                    throw new DTypeError("Cast " + from + " to " + to + " is not supported");
                }
                return new TensorType(to, in.get(0).shape());
            })
            .kernel1((in, a) -> Casts.cast(in.get(0), a.getDType("dtype")))
            .gradient(GradientRule.of1((g, c) -> c.x().dtype().isFloating() && c.y().dtype().isFloating() ? g.cast(c.dy(), c.x().dtype()) : null))
            .build();
}
