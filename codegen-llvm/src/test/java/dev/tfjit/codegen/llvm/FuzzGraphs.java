package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Block;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.GraphBuilder;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.Broadcast;
import dev.tfjit.ir.ops.ArrayOps;
import dev.tfjit.ir.ops.ControlFlowOps;
import dev.tfjit.ir.ops.CreationOps;
import dev.tfjit.ir.ops.ElementwiseOps;
import dev.tfjit.ir.ops.LinalgOps;
import dev.tfjit.ir.ops.RandomOps;
import dev.tfjit.ir.ops.ReductionOps;
import dev.tfjit.ir.ops.TensorArrayOps;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random graphs for differential testing: exact float ops only (no exp/log, whose C library and
 * JDK versions may differ in the last bit) and wrapping integer ops (divisions by zero are
 * run-time errors), so compiled and interpreted results must agree bit for bit. Elementwise ops with broadcasting (and siblings reading a common input), reductions, slices and strided slices, concat,
 * stack, pad, gather (with an occasional index out of range), tile, reverse, transpose, reshape, casts,
 * matmul, cumsum, the stateful random ops, cond and while (also pushing onto a dynamically sized TensorArray that is then
 * read or gathered), over random dims including 0 and 1. Parameters are declared
 * with unknown dims; the generator tracks each value's concrete type to pick valid attributes.
 */
final class FuzzGraphs {
    private FuzzGraphs() {}

    private static final OpDef[] BINARY = {ElementwiseOps.ADD, ElementwiseOps.SUB, ElementwiseOps.MUL, ElementwiseOps.DIV,
            ElementwiseOps.MAXIMUM, ElementwiseOps.MINIMUM, ElementwiseOps.SQUARED_DIFFERENCE};
    private static final OpDef[] UNARY = {ElementwiseOps.NEG, ElementwiseOps.ABS, ElementwiseOps.SQUARE, ElementwiseOps.RELU,
            ElementwiseOps.FLOOR, ElementwiseOps.SQRT, ElementwiseOps.SIGN};
    /** Integer graphs: wrapping arithmetic, and divisions whose zero divisors are run-time errors. */
    private static final OpDef[] INT_BINARY = {ElementwiseOps.ADD, ElementwiseOps.SUB, ElementwiseOps.MUL, ElementwiseOps.MAXIMUM,
            ElementwiseOps.MINIMUM, ElementwiseOps.FLOOR_DIV, ElementwiseOps.FLOOR_MOD, ElementwiseOps.TRUNCATE_DIV};
    private static final OpDef[] INT_UNARY = {ElementwiseOps.NEG, ElementwiseOps.ABS, ElementwiseOps.SQUARE, ElementwiseOps.SIGN};
    private static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64, DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64};
    private static final OpDef[] REDUCE = {ReductionOps.REDUCE_SUM, ReductionOps.REDUCE_MEAN, ReductionOps.REDUCE_MAX,
            ReductionOps.REDUCE_MIN, ReductionOps.REDUCE_PROD};
    /** Values larger than this are not made (tile and broadcasting could grow them). */
    private static final long MAX_ELEMENTS = 4096;

    /** A graph and arguments of concrete shapes for its parameters. */
    record Case(dev.tfjit.ir.Graph graph, List<Buffer> args) {}

    static Case generate(long seed) { return new Generator(seed).run(); }

    private static final class Generator {
        final long seed;
        final Random r;
        final GraphBuilder b;
        final List<Value> pool = new ArrayList<>();
        final Map<Value, TensorType> concrete = new IdentityHashMap<>();
        final List<Buffer> args = new ArrayList<>();
        /** Siblings of other elementwise ops ({@link #sibling}), returned as results. */
        final List<Value> siblings = new ArrayList<>();
        int line;

        Generator(long seed) {
            this.seed = seed;
            this.r = new Random(seed);
            this.b = new GraphBuilder("fuzz" + seed);
        }

        Case run() {
            DType t = DTYPES[r.nextInt(DTYPES.length)];
            int[] dims = {pick(), pick(), pick()};
            int params = 1 + r.nextInt(3);
            for (int i = 0; i < params; i++) pool.add(param(t, broadcastable(dims)));
            int nodes = 2 + r.nextInt(9);
            for (int i = 0; i < nodes; i++) {
                Value out = null;
                try {
                    out = step(pool.get(r.nextInt(pool.size())));
                } catch (TfException e) {
                    // attributes the type rule rejects for these shapes: draw again
                }
                if (out != null && concrete.get(out).shape().numElements() <= MAX_ELEMENTS) pool.add(out);
            }
            List<Value> results = new ArrayList<>(List.of(pool.getLast(), pool.get(r.nextInt(pool.size()))));
            if (r.nextInt(4) == 0) results.add(pool.get(r.nextInt(pool.size())));
            results.addAll(siblings);
            return new Case(b.build(results), List.copyOf(args));
        }

        int pick() {
            int[] sizes = {0, 1, 1, 2, 3, 5, 8, 17, 33};
            return sizes[r.nextInt(sizes.length)];
        }

        /** A shape that broadcasts to {@code dims}: a suffix of it, with some dims replaced by 1. */
        Shape broadcastable(int[] dims) {
            int rank = r.nextInt(dims.length + 1);
            int[] s = new int[rank];
            for (int i = 0; i < rank; i++) s[i] = r.nextInt(4) == 0 ? 1 : dims[dims.length - rank + i];
            return Shape.of(s);
        }

        Value param(DType t, Shape s) {
            Value v = b.param(new TensorType(t, Shape.unknownDims(s.rank())), "p" + args.size());
            concrete.put(v, new TensorType(t, s));
            args.add(TestData.mixed(t, s, seed * 31 + args.size()));
            return v;
        }

        Value indexParam(Shape s, int bound) {
            DType it = r.nextBoolean() ? DType.INT32 : DType.INT64;
            Value v = b.param(new TensorType(it, Shape.unknownDims(s.rank())), "p" + args.size());
            concrete.put(v, new TensorType(it, s));
            Buffer ids = Buffer.allocate(it, s);
            for (long i = 0; i < ids.size(); i++) {
                long k = bound == 0 || r.nextInt(40) == 0 ? (r.nextBoolean() ? -1 : bound + r.nextInt(3)) : r.nextInt(bound);
                ids.setLong(i, k);
            }
            args.add(ids);
            return v;
        }

        Value constant(Buffer value) {
            Value v = b.add1(CreationOps.CONSTANT, List.of(), Attrs.of("value", value), loc());
            concrete.put(v, value.type());
            return v;
        }

        SourceLocation loc() { return new SourceLocation("Fuzz.java", ++line); }

        Value add(OpDef op, List<Value> in, Attrs a) {
            List<TensorType> types = in.stream().map(concrete::get).toList();
            TensorType out = op.inferTypes(types, a).get(0); // throws for invalid attributes before anything is added
            Value v = b.add1(op, in, a, loc());
            concrete.put(v, out);
            return v;
        }

        Shape shape(Value v) { return concrete.get(v).shape(); }

        /** One random node reading {@code x} (and maybe other pool values); null when none fits. */
        Value step(Value x) {
            Shape s = shape(x);
            int rank = s.rank();
            DType t = x.dtype();
            switch (r.nextInt(21)) {
                case 0, 1, 2, 3 -> {
                    Value y = partner(x);
                    OpDef[] ops = t.isFloating() ? BINARY : INT_BINARY;
                    Value a = add(ops[r.nextInt(ops.length)], List.of(x, y), Attrs.EMPTY);
                    if (r.nextInt(3) == 0) sibling(x, a);
                    return a;
                }
                case 4, 5 -> { return add(unary(t), List.of(x), Attrs.EMPTY); }
                case 6, 7 -> {
                    List<Long> axes = new ArrayList<>();
                    for (int d = 0; d < rank; d++) if (r.nextBoolean()) axes.add((long) (r.nextBoolean() ? d : d - rank));
                    Attrs a = Attrs.of("axis", axes.stream().mapToLong(Long::longValue).toArray(), "keepdims", r.nextBoolean());
                    return add(REDUCE[r.nextInt(REDUCE.length)], List.of(x), a);
                }
                case 8 -> {
                    long[] begin = new long[rank], size = new long[rank];
                    for (int d = 0; d < rank; d++) {
                        begin[d] = r.nextInt(s.dim(d) + 1);
                        size[d] = r.nextInt(3) == 0 ? -1 : r.nextInt((int) (s.dim(d) - begin[d]) + 1);
                    }
                    return add(ArrayOps.SLICE, List.of(x), Attrs.of("begin", begin, "size", size));
                }
                case 9 -> { return readByElementwise(stridedSlice(x)); }
                case 10 -> {
                    if (r.nextInt(4) == 0) { // stack: inputs of x's shape, along a new axis
                        int axis = r.nextInt(rank + 1);
                        List<Value> items = new ArrayList<>(List.of(x));
                        for (Value v : pool) if (items.size() < 3 && v != x && v.dtype() == t && shape(v).equals(s)) items.add(v);
                        if (items.size() == 1 || r.nextBoolean()) items.add(x);
                        return readByElementwise(add(ArrayOps.STACK, items, Attrs.of("axis", r.nextBoolean() ? axis : axis - rank - 1)));
                    }
                    if (rank == 0) return null;
                    int axis = r.nextInt(rank);
                    List<Value> pieces = new ArrayList<>(List.of(x));
                    for (Value v : pool) {
                        if (pieces.size() < 3 && v != x && v.dtype() == t && sameExcept(shape(v), s, axis)) pieces.add(v);
                    }
                    if (pieces.size() == 1) pieces.add(x);
                    return readByElementwise(add(ArrayOps.CONCAT, pieces, Attrs.of("axis", r.nextBoolean() ? axis : axis - rank)));
                }
                case 11 -> {
                    long[] p = new long[2 * rank];
                    for (int i = 0; i < p.length; i++) p[i] = r.nextInt(3);
                    Value v = r.nextBoolean() ? constant(Buffer.scalar(t, r.nextInt(5) - 2)) : param(t, Shape.SCALAR);
                    return readByElementwise(add(ArrayOps.PAD, List.of(x, v), Attrs.of("paddings", p)));
                }
                case 12 -> {
                    if (rank == 0) return null;
                    int axis = r.nextInt(rank);
                    int[] idims = new int[r.nextInt(3)];
                    for (int i = 0; i < idims.length; i++) idims[i] = r.nextInt(4);
                    Value idx = indexParam(Shape.of(idims), s.dim(axis));
                    return add(ArrayOps.GATHER, List.of(x, idx), Attrs.of("axis", r.nextBoolean() ? axis : axis - rank));
                }
                case 13 -> {
                    long[] m = new long[rank];
                    for (int i = 0; i < rank; i++) m[i] = r.nextInt(3);
                    return add(ArrayOps.TILE, List.of(x), Attrs.of("multiples", m));
                }
                case 14 -> {
                    List<Long> axes = new ArrayList<>();
                    for (int d = 0; d < rank; d++) if (r.nextBoolean()) axes.add((long) (r.nextBoolean() ? d : d - rank));
                    return add(ArrayOps.REVERSE, List.of(x), Attrs.of("axis", axes.stream().mapToLong(Long::longValue).toArray()));
                }
                case 15 -> {
                    List<Long> perm = new ArrayList<>();
                    for (long d = 0; d < rank; d++) perm.add(d);
                    java.util.Collections.shuffle(perm, r);
                    if (r.nextBoolean()) return add(ArrayOps.TRANSPOSE, List.of(x), Attrs.of("perm", perm.stream().mapToLong(Long::longValue).toArray()));
                    long[] flat = r.nextBoolean() ? new long[] {-1} : reversedDims(s);
                    return add(ArrayOps.RESHAPE, List.of(x), Attrs.of("shape", flat));
                }
                case 16 -> {
                    if (r.nextBoolean() || rank == 0) {
                        DType to = DTYPES[r.nextInt(DTYPES.length)];
                        return add(ElementwiseOps.CAST, List.of(x), Attrs.of("dtype", to == t ? DType.FLOAT32 : to));
                    }
                    return add(ReductionOps.CUMSUM, List.of(x), Attrs.of("axis", (long) r.nextInt(rank), "exclusive", r.nextBoolean(),
                            "reverse", r.nextBoolean()));
                }
                case 17 -> {
                    if (rank != 2) return null;
                    Value w = param(t, Shape.of(s.dim(1), 1 + r.nextInt(6)));
                    return add(LinalgOps.MATMUL, List.of(x, w), Attrs.EMPTY);
                }
                case 18 -> { return cond(x); }
                case 19 -> { return random(x); }
                default -> { return r.nextBoolean() ? loop(x) : arrayLoop(x); }
            }
        }

        /**
         * A sibling of {@code a} (XLA's multi-output fusion): another elementwise op reading
         * {@code x}, of {@code a}'s shape, stored as a result, so that both may run in one loop.
         */
        void sibling(Value x, Value a) {
            Value y = partner(x);
            OpDef[] ops = x.dtype().isFloating() ? BINARY : INT_BINARY;
            Value s = r.nextBoolean() ? add(unary(x.dtype()), List.of(x), Attrs.EMPTY) : add(ops[r.nextInt(ops.length)], List.of(y, x), Attrs.EMPTY);
            if (shape(s).equals(shape(a)) && siblings.size() < 2) siblings.add(s);
        }

        /**
         * Half the time, {@code v} read only by a new elementwise op (unary, or binary with a
         * partner that may broadcast), so that a concat, pad or strided slice is fused into
         * its reader's loop as index arithmetic; {@code v} itself stays out of the pool.
         */
        Value readByElementwise(Value v) {
            if (r.nextBoolean()) return v;
            DType t = v.dtype();
            if (r.nextBoolean()) return add(unary(t), List.of(v), Attrs.EMPTY);
            OpDef[] ops = t.isFloating() ? BINARY : INT_BINARY;
            Value y = partner(v);
            return add(ops[r.nextInt(ops.length)], r.nextBoolean() ? List.of(v, y) : List.of(y, v), Attrs.EMPTY);
        }

        OpDef unary(DType t) {
            OpDef[] ops = t.isFloating() ? UNARY : INT_UNARY;
            return ops[r.nextInt(ops.length)];
        }

        /** A pool value of x's dtype whose shape broadcasts with x's (x itself when there is none). */
        Value partner(Value x) {
            List<Value> fits = new ArrayList<>();
            for (Value v : pool) {
                if (v.dtype() != x.dtype()) continue;
                try {
                    if (Broadcast.shapes(shape(x), shape(v)).numElements() <= MAX_ELEMENTS) fits.add(v);
                } catch (TfException e) {
                    // not broadcastable
                }
            }
            return fits.isEmpty() ? x : fits.get(r.nextInt(fits.size()));
        }

        Value stridedSlice(Value x) {
            Shape s = shape(x);
            int n = s.rank();
            long[] begin = new long[n], end = new long[n], strides = new long[n];
            int beginMask = 0, endMask = 0, shrink = 0;
            for (int d = 0; d < n; d++) {
                int dim = s.dim(d);
                strides[d] = new long[] {1, 1, 2, -1, -2, 3}[r.nextInt(6)];
                begin[d] = r.nextInt(2 * dim + 3) - dim - 1;
                end[d] = r.nextInt(2 * dim + 3) - dim - 1;
                if (r.nextInt(4) == 0) beginMask |= 1 << d;
                if (r.nextInt(4) == 0) endMask |= 1 << d;
                if (dim > 0 && strides[d] > 0 && r.nextInt(6) == 0) {
                    shrink |= 1 << d;
                    begin[d] = r.nextInt(2 * dim) - dim;
                    beginMask &= ~(1 << d);
                }
            }
            return add(ArrayOps.STRIDED_SLICE, List.of(x), Attrs.of("begin", begin, "end", end, "strides", strides,
                    "begin_mask", beginMask, "end_mask", endMask, "shrink_axis_mask", shrink));
        }

        /**
         * A stateful random op: x shuffled, or random values of x's shape (uniform, normal or
         * truncated normal for floats; integers from constant bounds, sometimes an empty range,
         * for integers) combined with x. Seeds are never (0, 0), so both backends draw the same.
         */
        Value random(Value x) {
            Shape s = shape(x);
            DType t = x.dtype();
            Attrs seeds = Attrs.of("seed", (long) r.nextInt(3), "seed2", 1L + r.nextInt(3), "stream", 1L + r.nextInt(5));
            if (r.nextInt(3) == 0) return add(RandomOps.RANDOM_SHUFFLE, List.of(x), seeds);
            long[] dims = new long[s.rank()];
            for (int d = 0; d < dims.length; d++) dims[d] = s.dim(d);
            Value v;
            if (t.isFloating()) {
                OpDef[] ops = {RandomOps.RANDOM_UNIFORM, RandomOps.RANDOM_STANDARD_NORMAL, RandomOps.TRUNCATED_NORMAL};
                v = add(ops[r.nextInt(ops.length)], List.of(), seeds.with("shape", dims).with("dtype", t));
            } else {
                long lo = r.nextInt(5) - 2, hi = lo + r.nextInt(12) - 1;
                v = add(RandomOps.RANDOM_UNIFORM_INT, List.of(constant(Buffer.scalarLong(t, lo)), constant(Buffer.scalarLong(t, hi))),
                        seeds.with("shape", dims));
            }
            OpDef[] ops = t.isFloating() ? BINARY : INT_BINARY;
            return add(ops[r.nextInt(3)], List.of(x, v), Attrs.EMPTY); // add, sub or mul
        }

        /** cond(any(x > 0)): one unary op on x in each branch. */
        Value cond(Value x) {
            Value zero = constant(Buffer.scalar(x.dtype(), 0));
            Value positive = add(ElementwiseOps.GREATER, List.of(x, zero), Attrs.EMPTY);
            Value pred = add(ReductionOps.REDUCE_ANY, List.of(positive), Attrs.of("keepdims", false));
            List<Block> branches = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                Value p = b.beginBlock(List.of(x.type())).get(0);
                Value y = b.add1(unary(x.dtype()), List.of(p), Attrs.EMPTY, loc());
                branches.add(b.endBlock(List.of(y)));
            }
            Value out = b.add(ControlFlowOps.COND, List.of(pred, x), Attrs.EMPTY, branches, loc()).get(0);
            concrete.put(out, concrete.get(x));
            return out;
        }

        /** A counted while loop: {@code for i in [0, n): x = x * c + y} with y a capture of x's shape or a scalar. */
        Value loop(Value x) {
            Value start = constant(Buffer.scalarLong(DType.INT32, 0));
            Value n = constant(Buffer.scalarLong(DType.INT32, r.nextInt(4)));
            Value one = constant(Buffer.scalarLong(DType.INT32, 1));
            Value c = constant(Buffer.scalar(x.dtype(), (x.dtype().isFloating() ? 0.5 : 1) * (r.nextInt(5) - 2)));
            // Half the loops carry a second var updated from the first: siblings in the body.
            boolean two = r.nextBoolean();
            TensorType it = new TensorType(DType.INT32, Shape.SCALAR);
            List<TensorType> carried = two ? List.of(it, x.type(), x.type()) : List.of(it, x.type());
            List<Value> cp = b.beginBlock(carried);
            Block condBlock = b.endBlock(List.of(b.add1(ElementwiseOps.LESS, List.of(cp.get(0), n), Attrs.EMPTY, loc())));
            List<Value> bp = b.beginBlock(carried);
            Value next = b.add1(ElementwiseOps.ADD, List.of(bp.get(0), one), Attrs.EMPTY, loc());
            Value scaled = b.add1(ElementwiseOps.MUL, List.of(bp.get(1), c), Attrs.EMPTY, loc());
            Value y = r.nextBoolean() ? x : c;
            Value sum = b.add1(ElementwiseOps.ADD, List.of(scaled, y), Attrs.EMPTY, loc());
            List<Value> results = new ArrayList<>(List.of(next, sum));
            if (two) results.add(b.add1(ElementwiseOps.SUB, List.of(bp.get(2), bp.get(1)), Attrs.EMPTY, loc()));
            Block body = b.endBlock(results);
            List<Value> init = two ? List.of(start, x, x) : List.of(start, x);
            Value out = b.add(ControlFlowOps.WHILE, init, Attrs.EMPTY, List.of(condBlock, body), loc()).get(1);
            concrete.put(out, concrete.get(x));
            return out;
        }

        /**
         * A counted while loop that pushes {@code x * c + x_prev} onto a dynamically sized
         * TensorArray each iteration (starting empty or with copies of x), then one element read
         * back or a few gathered, at run-time indices (now and then out of range).
         */
        Value arrayLoop(Value x) {
            Shape s = shape(x);
            int[] stacked = new int[s.rank() + 1];
            System.arraycopy(s.dims(), 0, stacked, 1, s.rank());
            int[] declared = new int[s.rank() + 1];
            declared[0] = Shape.UNKNOWN;
            System.arraycopy(x.type().shape().dims(), 0, declared, 1, s.rank());
            Value init;
            if (r.nextBoolean()) {
                init = constant(Buffer.allocate(x.dtype(), Shape.of(stacked))); // [0, x...]: no element yet
            } else {
                Value one = add(ArrayOps.EXPAND_DIMS, List.of(x), Attrs.of("axis", 0L));
                long[] m = new long[s.rank() + 1];
                java.util.Arrays.fill(m, 1);
                m[0] = r.nextInt(3);
                init = add(ArrayOps.TILE, List.of(one), Attrs.of("multiples", m)); // elements a short loop keeps
            }
            int trips = r.nextInt(6);
            Value start = constant(Buffer.scalarLong(DType.INT32, 0));
            Value n = constant(Buffer.scalarLong(DType.INT32, trips));
            Value step = constant(Buffer.scalarLong(DType.INT32, 1));
            Value c = constant(Buffer.scalar(x.dtype(), (x.dtype().isFloating() ? 0.5 : 1) * (r.nextInt(5) - 2)));
            TensorType it = new TensorType(DType.INT32, Shape.SCALAR), array = new TensorType(x.dtype(), Shape.of(declared));
            List<Value> cp = b.beginBlock(List.of(it, x.type(), array));
            Block condBlock = b.endBlock(List.of(b.add1(ElementwiseOps.LESS, List.of(cp.get(0), n), Attrs.EMPTY, loc())));
            List<Value> bp = b.beginBlock(List.of(it, x.type(), array));
            Value next = b.add1(ElementwiseOps.ADD, List.of(bp.get(0), step), Attrs.EMPTY, loc());
            Value scaled = b.add1(ElementwiseOps.MUL, List.of(bp.get(1), c), Attrs.EMPTY, loc());
            Value sum = b.add1(ElementwiseOps.ADD, List.of(scaled, x), Attrs.EMPTY, loc());
            Value pushed = b.add1(TensorArrayOps.TENSOR_ARRAY_WRITE, List.of(bp.get(2), bp.get(0), sum), Attrs.of("dynamic_size", true), loc());
            Block body = b.endBlock(List.of(next, sum, pushed));
            Value ta = b.add(ControlFlowOps.WHILE, List.of(start, x, init), Attrs.EMPTY, List.of(condBlock, body), loc()).get(2);
            int count = Math.max(trips, (int) shape(init).dim(0));
            concrete.put(ta, new TensorType(x.dtype(), Shape.of(stacked).withDim(0, Shape.UNKNOWN))); // its count is the run's
            if (r.nextBoolean()) return add(TensorArrayOps.TENSOR_ARRAY_READ, List.of(ta, indexParam(Shape.SCALAR, count)), Attrs.EMPTY);
            return add(ArrayOps.GATHER, List.of(ta, indexParam(Shape.of(r.nextInt(4)), count)), Attrs.EMPTY);
        }
    }

    private static boolean sameExcept(Shape a, Shape b, int axis) {
        if (a.rank() != b.rank()) return false;
        for (int d = 0; d < a.rank(); d++) if (d != axis && a.dim(d) != b.dim(d)) return false;
        return true;
    }

    private static long[] reversedDims(Shape s) {
        long[] d = new long[s.rank()];
        for (int i = 0; i < d.length; i++) d[i] = s.dim(d.length - 1 - i);
        return d;
    }
}
