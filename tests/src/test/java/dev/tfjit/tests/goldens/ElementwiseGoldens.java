package dev.tfjit.tests.goldens;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/** Golden mappings for the arith, unary, compare, logical, cast, activation and misc (truncatediv/mod) families. */
final class ElementwiseGoldens {
    private ElementwiseGoldens() {}

    static void register(Map<String, GoldenOp> ops) {
        binary(ops, Tf::add, "add", "math.add");
        binary(ops, Tf::subtract, "subtract", "math.subtract");
        binary(ops, Tf::multiply, "multiply", "math.multiply");
        binary(ops, Tf::divide, "divide", "math.divide", "math.truediv", "truediv");
        binary(ops, Tf::floordiv, "math.floordiv", "floordiv");
        binary(ops, Tf::floormod, "math.floormod", "floormod", "math.mod", "mod");
        binary(ops, Tf::truncatediv, "truncatediv", "math.truncatediv");
        binary(ops, Tf::truncatemod, "truncatemod", "math.truncatemod");
        binary(ops, Tf::pow, "pow", "math.pow");
        binary(ops, Tf::maximum, "maximum", "math.maximum");
        binary(ops, Tf::minimum, "minimum", "math.minimum");
        binary(ops, Tf::squaredDifference, "math.squared_difference", "squared_difference");

        unary(ops, Tf::negative, "negative", "math.negative");
        unary(ops, Tf::abs, "abs", "math.abs");
        unary(ops, Tf::sign, "sign", "math.sign");
        unary(ops, Tf::square, "square", "math.square");
        unary(ops, Tf::sqrt, "sqrt", "math.sqrt");
        unary(ops, Tf::rsqrt, "math.rsqrt", "rsqrt");
        unary(ops, Tf::exp, "exp", "math.exp");
        unary(ops, Tf::expm1, "math.expm1", "expm1");
        unary(ops, Tf::log, "math.log", "log");
        unary(ops, Tf::log1p, "math.log1p", "log1p");
        unary(ops, Tf::floor, "floor", "math.floor");
        unary(ops, Tf::ceil, "math.ceil", "ceil");
        unary(ops, Tf::round, "round", "math.round");
        unary(ops, Tf::reciprocal, "math.reciprocal", "reciprocal");
        unary(ops, Tf::sin, "sin", "math.sin");
        unary(ops, Tf::cos, "cos", "math.cos");
        unary(ops, Tf::erf, "math.erf", "erf");
        unary(ops, Tf::isNan, "math.is_nan", "is_nan");
        unary(ops, Tf::isInf, "math.is_inf", "is_inf");
        unary(ops, Tf::isFinite, "math.is_finite", "is_finite");

        binary(ops, Tf::equal, "equal", "math.equal");
        binary(ops, Tf::notEqual, "not_equal", "math.not_equal");
        binary(ops, Tf::less, "less", "math.less");
        binary(ops, Tf::lessEqual, "less_equal", "math.less_equal");
        binary(ops, Tf::greater, "greater", "math.greater");
        binary(ops, Tf::greaterEqual, "greater_equal", "math.greater_equal");
        binary(ops, Tf::logicalAnd, "logical_and", "math.logical_and");
        binary(ops, Tf::logicalOr, "logical_or", "math.logical_or");
        binary(ops, Tf::logicalXor, "math.logical_xor", "logical_xor");
        unary(ops, Tf::logicalNot, "logical_not", "math.logical_not");

        ops.put("cast", GoldenOp.single((in, a) -> Tf.cast(in.get(0), DType.fromTfName(a.string("dtype")))));

        unary(ops, Tf::sigmoid, "sigmoid", "math.sigmoid", "nn.sigmoid");
        unary(ops, Tf::tanh, "tanh", "math.tanh", "nn.tanh");
        unary(ops, Tf::relu, "nn.relu");
        unary(ops, Tf::relu6, "nn.relu6");
        unary(ops, Tf::elu, "nn.elu");
        unary(ops, Tf::selu, "nn.selu");
        unary(ops, Tf::softplus, "nn.softplus", "math.softplus");
        unary(ops, Tf::softsign, "nn.softsign", "math.softsign");
        ops.put("nn.leaky_relu", GoldenOp.single((in, a) -> Tf.leakyRelu(in.get(0), a.number("alpha", 0.2))));
        ops.put("nn.gelu", GoldenOp.single((in, a) -> Tf.gelu(in.get(0), a.bool("approximate", false))));
    }

    private static void binary(Map<String, GoldenOp> ops, BinaryOperator<Tensor> f, String... names) {
        for (String n : names) ops.put(n, GoldenOp.single((in, a) -> f.apply(in.get(0), in.get(1))));
    }

    private static void unary(Map<String, GoldenOp> ops, UnaryOperator<Tensor> f, String... names) {
        for (String n : names) ops.put(n, GoldenOp.single((in, a) -> f.apply(in.get(0))));
    }
}
