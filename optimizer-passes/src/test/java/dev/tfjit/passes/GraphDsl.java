package dev.tfjit.passes;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Block;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.GraphBuilder;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.CreationOps;

import java.util.List;

/** Terse graph building for pass tests: {@code g.op(MUL, x, g.f32(1))}. */
final class GraphDsl {
    final GraphBuilder b;

    GraphDsl(String name) { b = new GraphBuilder(name); }

    Value param(String name, DType t, int... dims) { return b.param(TensorType.of(t, dims), name); }

    Value constant(Buffer v) { return b.add1(CreationOps.CONSTANT, List.of(), Attrs.of("value", v), SourceLocation.UNKNOWN); }

    Value f32(float v) { return constant(Buffer.ofFloats(Shape.SCALAR, v)); }

    Value f32(Shape s, float... v) { return constant(Buffer.ofFloats(s, v)); }

    Value i32(int v) { return constant(Buffer.ofInts(Shape.SCALAR, v)); }

    Value i32(Shape s, int... v) { return constant(Buffer.ofInts(s, v)); }

    Value bool(boolean v) { return constant(Buffer.ofBooleans(Shape.SCALAR, v)); }

    Value op(OpDef op, Value... in) { return op(op, Attrs.EMPTY, in); }

    Value op(OpDef op, Attrs attrs, Value... in) { return b.add1(op, List.of(in), attrs, SourceLocation.UNKNOWN); }

    List<Value> structured(OpDef op, List<Value> in, Block... regions) {
        return b.add(op, in, Attrs.EMPTY, List.of(regions), SourceLocation.UNKNOWN);
    }

    List<Value> region(List<TensorType> types, String... names) {
        return b.beginBlock(types, names.length == 0 ? null : List.of(names));
    }

    Block yield(Value... results) { return b.endBlock(List.of(results)); }

    Graph ret(Value... results) { return b.build(List.of(results)); }

    /** The IR text, the form every expectation in these tests is written in. */
    static String ir(Graph g) {
        dev.tfjit.ir.Verifier.verify(g); // every pass output must be a valid graph, not just print as expected
        return g.toString();
    }
}
