package dev.tfjit.ir;

import dev.tfjit.ir.ops.ControlFlowOps;
import dev.tfjit.ir.ops.CreationOps;
import dev.tfjit.ir.ops.ElementwiseOps;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random small, valid graphs: params with partial shapes, constants with arbitrary bits and
 * extra attributes of every kind, elementwise ops, and nested {@code while}/{@code cond} whose
 * regions capture outer values. Nodes whose types the op rejects are simply not added.
 */
final class RandomGraphs {
    private static final DType[] NUMERIC = {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64};
    private static final List<OpDef> UNARY = List.of(ElementwiseOps.NEG, ElementwiseOps.EXP);
    private static final List<OpDef> BINARY = List.of(ElementwiseOps.ADD, ElementwiseOps.SUB, ElementwiseOps.MUL,
            ElementwiseOps.DIV, ElementwiseOps.LESS, ElementwiseOps.EQUAL);

    private final Random rnd;
    private final RandomIr r;
    private GraphBuilder b;

    RandomGraphs(Random rnd) {
        this.rnd = rnd;
        this.r = new RandomIr(rnd);
    }

    Graph graph(String name) {
        b = new GraphBuilder(name);
        List<Value> pool = new ArrayList<>();
        int params = rnd.nextInt(4);
        for (int i = 0; i < params; i++) {
            pool.add(b.param(new TensorType(NUMERIC[rnd.nextInt(NUMERIC.length)], r.shape()), rnd.nextBoolean() ? "p" + i : null));
        }
        nodes(pool, 2 + rnd.nextInt(6), 0);
        List<Value> results = new ArrayList<>();
        int n = pool.isEmpty() ? 0 : rnd.nextInt(4);
        for (int i = 0; i < n; i++) results.add(pick(pool));
        return b.build(results);
    }

    private void nodes(List<Value> pool, int count, int depth) {
        for (int i = 0; i < count; i++) step(pool, depth);
    }

    private void step(List<Value> pool, int depth) {
        int choice = rnd.nextInt(depth < 2 ? 7 : 5);
        if (pool.isEmpty()) choice = 0;
        switch (choice) {
            case 0 -> pool.add(constant(r.tensor(r.dtype(), r.concreteShape()), rnd.nextInt(3)));
            case 1 -> tryAdd(pool, UNARY.get(rnd.nextInt(UNARY.size())), List.of(pick(pool)), Attrs.EMPTY, List.of());
            case 2 -> tryAdd(pool, BINARY.get(rnd.nextInt(BINARY.size())), List.of(pick(pool), pick(pool)), Attrs.EMPTY, List.of());
            case 3 -> tryAdd(pool, ElementwiseOps.CAST, List.of(pick(pool)), Attrs.of("dtype", r.dtype()), List.of());
            case 4 -> pool.add(constant(r.tensor(DType.BOOL, Shape.SCALAR), 0));
            case 5 -> cond(pool, depth);
            default -> loop(pool, depth);
        }
    }

    private Value constant(Buffer value, int extraAttrs) {
        Attrs attrs = Attrs.of("value", value);
        for (int i = 0; i < extraAttrs; i++) attrs = attrs.with(r.attrName(), r.attr());
        return b.add1(CreationOps.CONSTANT, List.of(), attrs, r.location());
    }

    private void cond(List<Value> pool, int depth) {
        Value pred = constant(r.tensor(DType.BOOL, Shape.SCALAR), 0);
        List<Value> operands = new ArrayList<>();
        int n = rnd.nextInt(3);
        for (int i = 0; i < n; i++) operands.add(pick(pool));
        List<TensorType> types = operands.stream().map(Value::type).toList();
        Block then = region(pool, types, depth, false);
        Block other = region(pool, types, depth, false);
        List<Value> inputs = new ArrayList<>(List.of(pred));
        inputs.addAll(operands);
        tryAdd(pool, ControlFlowOps.COND, inputs, Attrs.EMPTY, List.of(then, other));
    }

    private void loop(List<Value> pool, int depth) {
        List<Value> vars = new ArrayList<>();
        int n = 1 + rnd.nextInt(2);
        for (int i = 0; i < n; i++) vars.add(pick(pool));
        List<TensorType> types = vars.stream().map(Value::type).toList();
        List<Value> cp = b.beginBlock(types, hints(types.size()));
        List<Value> condPool = new ArrayList<>(pool);
        condPool.addAll(cp);
        nodes(condPool, rnd.nextInt(3), depth + 1);
        Block cond = b.endBlock(List.of(constant(r.tensor(DType.BOOL, Shape.SCALAR), 0)));
        Block body = region(pool, types, depth, true);
        tryAdd(pool, ControlFlowOps.WHILE, vars, Attrs.EMPTY, List.of(cond, body));
    }

    /**
     * A region over params of {@code types} that may capture {@code outer}; it yields, for each
     * param, a value of the same dtype (of the same type exactly when {@code sameTypes}).
     */
    private Block region(List<Value> outer, List<TensorType> types, int depth, boolean sameTypes) {
        List<Value> params = b.beginBlock(types, hints(types.size()));
        List<Value> inner = new ArrayList<>(outer);
        inner.addAll(params);
        nodes(inner, rnd.nextInt(4), depth + 1);
        List<Value> yields = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            TensorType t = types.get(i);
            List<Value> fits = inner.stream().filter(v -> sameTypes ? v.type().equals(t) : v.dtype() == t.dtype()).toList();
            yields.add(fits.get(rnd.nextInt(fits.size())));
        }
        return b.endBlock(yields);
    }

    private List<String> hints(int n) {
        List<String> h = new ArrayList<>();
        for (int i = 0; i < n; i++) h.add(rnd.nextBoolean() ? "v" + rnd.nextInt(5) : null);
        return h;
    }

    private void tryAdd(List<Value> pool, OpDef op, List<Value> inputs, Attrs attrs, List<Block> regions) {
        try {
            pool.addAll(b.add(op, inputs, attrs, regions, r.location()));
        } catch (TfException e) {
            // The op's rule rejects this combination (dtype mismatch, broadcast failure): skip it.
        }
    }

    private Value pick(List<Value> pool) { return pool.get(rnd.nextInt(pool.size())); }
}
