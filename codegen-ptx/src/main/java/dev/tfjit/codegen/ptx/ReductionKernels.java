package dev.tfjit.codegen.ptx;

import dev.tfjit.codegen.llvm.FunctionEmitter;
import dev.tfjit.codegen.llvm.KernelContext;
import dev.tfjit.codegen.llvm.LoopNest;
import dev.tfjit.codegen.llvm.Reg;
import dev.tfjit.codegen.llvm.Scalars;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.Reduce;
import dev.tfjit.ir.kernels.ReductionDims;
import dev.tfjit.runtime.cuda.GpuProgram.Ref;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code reduce_*} op with its elementwise prologue (computed as elements are read) and
 * epilogue (applied to each result before the store), as XLA's GPU emitter does them:
 * <ul>
 * <li><b>Row</b> reductions (every output reduces its own elements; always correct, and
 * coalesced when the reduced dims are innermost): a warp per output for short rows, else a block
 * of 256 threads per output whose warps combine with butterfly shuffles and then through shared
 * memory.
 * <li><b>Column</b> reductions ({@code [A, N, C]} reducing N, with C kept innermost): blocks
 * of 32 x 8 threads over a tile of 32 columns, each thread summing every 8th row of its column
 * (consecutive threads read consecutive columns), then the 8 partial sums of a column are
 * combined through a shared-memory tile.
 * <li><b>Long</b> reductions with too few outputs to fill the GPU: two kernels, the first
 * reducing chunks of each output's elements to partial results in scratch, the second
 * reducing those (and finishing: mean, epilogue, store).
 * </ul>
 */
final class ReductionKernels {
    static final int BLOCK = 256;
    private static final int WARPS = BLOCK / KernelBuilder.WARP;
    /** Column tiles: 32 columns by 8 row lanes. */
    private static final int TILE_ROWS = BLOCK / KernelBuilder.WARP;
    /** Aim for at least this many blocks before splitting a reduction over two kernels. */
    private static final long TARGET_BLOCKS = 1024;
    /** A split never gives a block fewer elements than this (row reductions). */
    private static final long MIN_ROW_CHUNK = 4096;
    /** ... nor a column tile fewer rows than this. */
    private static final long MIN_COLUMN_CHUNK = 256;
    /** Rows up to this long get one warp each. */
    private static final long WARP_ROW_LIMIT = 128;

    static boolean lowers(OpDef op) { return Reducer.lowers(op); }

    private final GpuGraphEmitter e;
    private final Node node;
    private final Value result;
    private final Reducer red;

    ReductionKernels(GpuGraphEmitter e, Node node, Value result) {
        this.e = e;
        this.node = node;
        this.result = result;
        this.red = new Reducer(node.op(), node.inputs().get(0).dtype());
    }

    /** Reads the elements of one output position {@code p}: element {@code r} (an index value) of its reduction. */
    @FunctionalInterface
    private interface Source {
        Reader at(KernelBuilder k, IndexType it, String p);
    }

    @FunctionalInterface
    private interface Reader {
        Reg element(String r);
    }

    /** Receives the combined value of output position {@code p}. */
    @FunctionalInterface
    private interface Sink {
        void store(KernelBuilder k, IndexType it, String p, Reg combined);
    }

    void emit() {
        Value input = node.inputs().get(0);
        Shape in = e.types.shape(input);
        ReductionDims split = ReductionDims.of(in, node.attrs());
        long n = split.count();
        long outputs = e.types.shape(node.output()).numElements();
        if (outputs == 0) return;
        if (red.kind == Reduce.Kind.MEAN && !red.c.name().startsWith("F") && n == 0) {
            raiseOnly("integer division by zero: the mean of an empty " + red.dtype + " reduction");
            return;
        }
        IndexType it = IndexType.forElements(Math.max(in.numElements(), outputs) * 2);

        // The prologue: the input's leaves, each read at (kept offset of the output) + (offset of the reduced element).
        List<Value> leaves = e.leaves(List.of(input), Map.of());
        List<long[]> strides = e.readStrides(leaves, in);
        List<long[]> keptStrides = new ArrayList<>(), reducedStrides = new ArrayList<>();
        for (long[] s : strides) {
            keptStrides.add(split.keptOf(s));
            reducedStrides.add(split.reducedOf(s));
        }
        LoopNest keptNest = LoopNest.of(split.keptSizes(), keptStrides);
        LoopNest reducedNest = LoopNest.of(split.reducedSizes(), reducedStrides);
        Source graphInput = (k, ix, p) -> {
            Map<Value, String> pointers = e.pointers(k, leaves);
            List<String> kept = IndexMath.offsets(k.f, ix, keptNest, p);
            return r -> {
                List<String> reduced = IndexMath.offsets(k.f, ix, reducedNest, r);
                Map<Value, String> offs = new IdentityHashMap<>();
                for (int i = 0; i < leaves.size(); i++) {
                    offs.put(leaves.get(i), ix.toI64(k.f, IndexMath.add(k.f, ix, kept.get(i), reduced.get(i))));
                }
                return e.element(k.cx, input, pointers, offs, new IdentityHashMap<>(), red.flushesInput());
            };
        };

        long columns = columnWidth(in, split.mask());
        if (columns > 1) column(outputs / columns, n, columns, graphInput, it);
        else row(outputs, n, graphInput, it);
    }

    // ------------------------------------------------------------ shapes

    /**
     * C when the input is {@code [A, N, C]} reducing N (dims of size 1 ignored): one run of
     * reduced dims followed by kept dims of C elements; 1 when it is not such a column reduction.
     */
    static long columnWidth(Shape in, boolean[] mask) {
        StringBuilder pattern = new StringBuilder();
        long trailingKept = 1;
        for (int d = 0; d < in.rank(); d++) {
            if (in.dim(d) == 1) continue;
            char c = mask[d] ? 'R' : 'K';
            if (pattern.isEmpty() || pattern.charAt(pattern.length() - 1) != c) pattern.append(c);
            if (c == 'K') trailingKept *= in.dim(d);
            else trailingKept = 1;
        }
        String p = pattern.toString();
        return p.equals("RK") || p.equals("KRK") ? trailingKept : 1;
    }

    // ------------------------------------------------------------ row reductions

    private void row(long outputs, long n, Source input, IndexType it) {
        long chunks = 1;
        if (outputs < TARGET_BLOCKS / 2 && n >= 2 * MIN_ROW_CHUNK) {
            chunks = Math.min(ceilDiv(n, MIN_ROW_CHUNK), ceilDiv(TARGET_BLOCKS, outputs));
        }
        if (chunks < 2) {
            rowKernel(outputs, n, input, finalSink(), it, "row_reduce");
            return;
        }
        long g = chunks, len = ceilDiv(n, g);
        Ref partial = e.scratch(outputs * g * red.partialBytes());
        // Kernel 1: block b reduces chunk (b mod g) of output (b / g) to partial[b].
        KernelBuilder k = new KernelBuilder(e.module, "row_reduce_partial", BLOCK);
        String out = k.param(partial, true);
        String smem = k.shared(red.memoryType(), KernelBuilder.WARP);
        String tid = k.threadIndex();
        k.blockStride(it, outputs * g, b -> {
            String p = k.f.let("udiv " + it.llvm + " " + b + ", " + g);
            String chunk = k.f.let("urem " + it.llvm + " " + b + ", " + g);
            Reader reader = input.at(k, it, p);
            String start = k.f.let("mul nuw nsw " + it.llvm + " " + chunk + ", " + len);
            String end = k.f.let("call " + it.llvm + " @llvm.smin." + it.llvm + "(" + it.llvm + " " + k.f.let("add nuw nsw " + it.llvm
                    + " " + start + ", " + len) + ", " + it.llvm + " " + n + ")");
            Reg acc = accumulate(k, it, IndexMath.add(k.f, it, start, it.fromI32(k.f, tid)), end, Integer.toString(BLOCK), reader);
            blockCombine(k, smem, tid, acc, v -> red.storePartial(k.cx, v, out, it.toI64(k.f, b)));
        });
        e.launch(k, outputs * g, 1, 1, true);
        // Kernel 2: each output reduces its g partial results.
        Source partials = (k2, ix, p) -> {
            String base = k2.param(partial, false);
            String first = k2.f.let("mul nuw nsw " + ix.llvm + " " + p + ", " + g);
            return r -> red.loadPartial(k2.cx, base, ix.toI64(k2.f, IndexMath.add(k2.f, ix, first, r)));
        };
        rowKernel(outputs, g, partials, finalSink(), it, "row_reduce_finish");
    }

    /** One kernel reducing {@code n} elements for each of {@code outputs} positions: a warp or a block per position. */
    private void rowKernel(long outputs, long n, Source input, Sink sink, IndexType it, String what) {
        KernelBuilder k = new KernelBuilder(e.module, what, BLOCK);
        String tid = k.threadIndex();
        String lane = k.f.let("and i32 " + tid + ", 31"), warp = k.f.let("lshr i32 " + tid + ", 5");
        if (n <= WARP_ROW_LIMIT) {
            long groups = ceilDiv(outputs, WARPS);
            k.blockStride(it, groups, g -> {
                String p = k.f.let("add nuw nsw " + it.llvm + " " + k.f.let("mul nuw nsw " + it.llvm + " " + g + ", " + WARPS) + ", "
                        + it.fromI32(k.f, warp));
                k.ifThen(k.f.let("icmp ult " + it.llvm + " " + p + ", " + outputs), () -> { // the same for the whole warp
                    Reader reader = input.at(k, it, p);
                    Reg acc = warpReduce(k, accumulate(k, it, it.fromI32(k.f, lane), Long.toString(n), "32", reader));
                    k.ifThen(k.f.let("icmp eq i32 " + lane + ", 0"), () -> sink.store(k, it, p, acc));
                });
            });
            e.launch(k, groups, 1, 1, true);
            return;
        }
        String smem = k.shared(red.memoryType(), KernelBuilder.WARP);
        k.blockStride(it, outputs, p -> {
            Reader reader = input.at(k, it, p);
            Reg acc = accumulate(k, it, it.fromI32(k.f, tid), Long.toString(n), Integer.toString(BLOCK), reader);
            blockCombine(k, smem, tid, acc, v -> sink.store(k, it, p, v));
        });
        e.launch(k, outputs, 1, 1, true);
    }

    /** A thread's combination of elements {@code from, from + step, ...} below {@code to}. */
    private Reg accumulate(KernelBuilder k, IndexType it, String from, String to, String step, Reader reader) {
        String ty = Scalars.llvmType(red.c);
        String slot = k.f.alloca(ty);
        k.f.line("store " + red.identity().typed() + ", ptr " + slot);
        k.stride(it, from, to, step, r -> {
            Reg x = reader.element(r);
            Reg a = new Reg(k.f.let("load " + ty + ", ptr " + slot), red.c);
            k.f.line("store " + red.combine(k.cx, a, x).typed() + ", ptr " + slot);
        });
        return new Reg(k.f.let("load " + ty + ", ptr " + slot), red.c);
    }

    /** Combines a value across the 32 lanes of a warp; every lane ends with the result. */
    private Reg warpReduce(KernelBuilder k, Reg v) {
        for (int mask = KernelBuilder.WARP / 2; mask >= 1; mask /= 2) v = red.combine(k.cx, v, k.shuffleXor(v, mask));
        return v;
    }

    /** Combines a value across the block: warps shuffle, lane 0 of each writes shared memory, warp 0 combines those; thread 0 gets {@code done}. */
    private void blockCombine(KernelBuilder k, String smem, String tid, Reg v, java.util.function.Consumer<Reg> done) {
        String lane = k.f.let("and i32 " + tid + ", 31"), warp = k.f.let("lshr i32 " + tid + ", 5");
        Reg w = warpReduce(k, v);
        k.ifThen(k.f.let("icmp eq i32 " + lane + ", 0"), () -> storeShared(k, smem, KernelBuilder.WARP, warp, w));
        k.barrier();
        k.ifThen(k.f.let("icmp eq i32 " + warp + ", 0"), () -> {
            String mine = k.f.let("icmp ult i32 " + lane + ", " + WARPS);
            String safeLane = k.f.let("select i1 " + mine + ", i32 " + lane + ", i32 0");
            Reg loaded = loadShared(k, smem, KernelBuilder.WARP, safeLane);
            Reg x = k.cx.select(mine, loaded, red.identity());
            Reg total = warpReduce(k, x);
            k.ifThen(k.f.let("icmp eq i32 " + lane + ", 0"), () -> done.accept(total));
        });
        k.barrier(); // shared memory is reused by the block's next output
    }

    private void storeShared(KernelBuilder k, String sym, int count, String i32Index, Reg v) {
        String p = k.sharedElement(sym, red.memoryType(), count, IndexType.I32, i32Index);
        String value = red.memoryType().equals("i8") ? k.f.let("zext i1 " + v.name() + " to i8") : v.name();
        k.f.line("store " + red.memoryType() + " " + value + ", ptr addrspace(3) " + p);
    }

    private Reg loadShared(KernelBuilder k, String sym, int count, String i32Index) {
        String p = k.sharedElement(sym, red.memoryType(), count, IndexType.I32, i32Index);
        String raw = k.f.let("load " + red.memoryType() + ", ptr addrspace(3) " + p);
        return new Reg(red.memoryType().equals("i8") ? k.f.let("icmp ne i8 " + raw + ", 0") : raw, red.c);
    }

    // ------------------------------------------------------------ column reductions

    /** {@code [a, n, c]} reducing n; output position {@code p = i * c + j}. */
    private void column(long a, long n, long c, Source input, IndexType it) {
        long tiles = a * ceilDiv(c, KernelBuilder.WARP);
        long chunks = 1;
        if (tiles < TARGET_BLOCKS / 2 && n >= 2 * MIN_COLUMN_CHUNK) {
            chunks = Math.min(ceilDiv(n, MIN_COLUMN_CHUNK), ceilDiv(TARGET_BLOCKS, tiles));
        }
        if (chunks < 2) {
            columnKernel(a, n, c, 1, input, finalSinkOrPartial(null, 1, c), it, "column_reduce");
            return;
        }
        long g = chunks;
        Ref partial = e.scratch(a * g * c * red.partialBytes());
        columnKernel(a, n, c, g, input, finalSinkOrPartial(partial, g, c), it, "column_reduce_partial");
        // The partial results form [a, g, c]: a column reduction over g.
        Source partials = (k, ix, p) -> {
            String base = k.param(partial, false);
            String i = k.f.let("udiv " + ix.llvm + " " + p + ", " + c), j = k.f.let("urem " + ix.llvm + " " + p + ", " + c);
            String first = IndexMath.add(k.f, ix, k.f.let("mul nuw nsw " + ix.llvm + " " + i + ", " + g * c), j);
            return r -> red.loadPartial(k.cx, base, ix.toI64(k.f, IndexMath.add(k.f, ix, first,
                    k.f.let("mul nuw nsw " + ix.llvm + " " + r + ", " + c))));
        };
        columnKernel(a, g, c, 1, partials, finalSink(), it, "column_reduce_finish");
    }

    /**
     * A sink taking (position, chunk) for a split column kernel: with {@code partial} null the
     * final sink; else it stores to partial[(i * g + chunk) * c + j], the chunk passed in {@code p}
     * as {@code p * g + chunk} by {@link #columnKernel}.
     */
    private Sink finalSinkOrPartial(Ref partial, long g, long c) {
        if (partial == null) return finalSink();
        return (k, it, pg, v) -> {
            String base = k.param(partial, true);
            String p = k.f.let("udiv " + it.llvm + " " + pg + ", " + g), chunk = k.f.let("urem " + it.llvm + " " + pg + ", " + g);
            String i = k.f.let("udiv " + it.llvm + " " + p + ", " + c), j = k.f.let("urem " + it.llvm + " " + p + ", " + c);
            String row = k.f.let("add nuw nsw " + it.llvm + " " + k.f.let("mul nuw nsw " + it.llvm + " " + i + ", " + g) + ", " + chunk);
            String at = k.f.let("add nuw nsw " + it.llvm + " " + k.f.let("mul nuw nsw " + it.llvm + " " + row + ", " + c) + ", " + j);
            red.storePartial(k.cx, v, base, it.toI64(k.f, at));
        };
    }

    /**
     * Blocks of 32 x 8 threads, one per (tile of 32 columns, chunk of rows); thread (x, y) combines
     * rows y, y + 8, ... of its chunk in column x, then column x's 8 values meet in shared memory.
     * With {@code g > 1} the sink gets {@code p * g + chunk}.
     */
    private void columnKernel(long a, long n, long c, long g, Source input, Sink sink, IndexType it, String what) {
        long ctiles = ceilDiv(c, KernelBuilder.WARP), len = ceilDiv(n, g);
        KernelBuilder k = new KernelBuilder(e.module, what, BLOCK);
        int pitch = KernelBuilder.WARP + 1; // one spare column: the 8 values of a column sit in different banks
        String smem = k.shared(red.memoryType(), TILE_ROWS * pitch);
        String tid = k.threadIndex();
        String x = k.f.let("and i32 " + tid + ", 31"), y = k.f.let("lshr i32 " + tid + ", 5");
        String ty = Scalars.llvmType(red.c);
        k.blockStride(it, a * ctiles * g, b -> {
            String tile = g == 1 ? b : k.f.let("udiv " + it.llvm + " " + b + ", " + g);
            String chunk = g == 1 ? "0" : k.f.let("urem " + it.llvm + " " + b + ", " + g);
            String i = k.f.let("udiv " + it.llvm + " " + tile + ", " + ctiles);
            String col = k.f.let("add nuw nsw " + it.llvm + " " + k.f.let("mul nuw nsw " + it.llvm + " "
                    + k.f.let("urem " + it.llvm + " " + tile + ", " + ctiles) + ", " + KernelBuilder.WARP) + ", " + it.fromI32(k.f, x));
            String valid = k.f.let("icmp ult " + it.llvm + " " + col + ", " + c);
            String p = k.f.let("add nuw nsw " + it.llvm + " " + k.f.let("mul nuw nsw " + it.llvm + " " + i + ", " + c) + ", " + col);
            String slot = k.f.alloca(ty);
            k.f.line("store " + red.identity().typed() + ", ptr " + slot);
            k.ifThen(valid, () -> {
                Reader reader = input.at(k, it, p);
                String start = g == 1 ? "0" : k.f.let("mul nuw nsw " + it.llvm + " " + chunk + ", " + len);
                String end = g == 1 ? Long.toString(n) : k.f.let("call " + it.llvm + " @llvm.smin." + it.llvm + "(" + it.llvm + " "
                        + k.f.let("add nuw nsw " + it.llvm + " " + start + ", " + len) + ", " + it.llvm + " " + n + ")");
                Reg acc = accumulate(k, it, IndexMath.add(k.f, it, start, it.fromI32(k.f, y)), end, Integer.toString(TILE_ROWS), reader);
                k.f.line("store " + acc.typed() + ", ptr " + slot);
            });
            String cell = k.f.let("add nuw nsw i32 " + k.f.let("mul nuw nsw i32 " + y + ", " + pitch) + ", " + x);
            storeShared(k, smem, TILE_ROWS * pitch, cell, new Reg(k.f.let("load " + ty + ", ptr " + slot), red.c));
            k.barrier();
            String first = k.f.let("icmp eq i32 " + y + ", 0");
            k.ifThen(k.f.let("and i1 " + first + ", " + valid), () -> {
                Reg v = loadShared(k, smem, TILE_ROWS * pitch, x);
                for (int r = 1; r < TILE_ROWS; r++) {
                    String at = k.f.let("add nuw nsw i32 " + x + ", " + r * pitch);
                    v = red.combine(k.cx, v, loadShared(k, smem, TILE_ROWS * pitch, at));
                }
                String pos = g == 1 ? p : k.f.let("add nuw nsw " + it.llvm + " " + k.f.let("mul nuw nsw " + it.llvm + " " + p + ", " + g)
                        + ", " + chunk);
                sink.store(k, it, pos, v);
            });
            k.barrier();
        });
        e.launch(k, a * ctiles * g, 1, 1, true);
    }

    // ------------------------------------------------------------ finishing

    /**
     * The op's result at position {@code p}: finished (mean), rounded to the dtype as the
     * interpreter stores it, then the epilogue ops (reading their other operands at {@code p}),
     * stored.
     */
    private Sink finalSink() {
        long n = reducedCount();
        List<Node> chain = e.fusion.epilogue(node);
        Shape outShape = e.types.shape(result);
        return (k, it, p, combined) -> {
            KernelContext cx = k.cx;
            Reg v = Scalars.round(k.f, node.output().dtype(), red.finish(cx, combined, n));
            Reg stored = v;
            if (!chain.isEmpty()) {
                Map<Value, Reg> memo = new IdentityHashMap<>();
                memo.put(node.output(), v);
                Node last = chain.getLast();
                List<Value> leaves = e.leaves(last.inputs(), memo);
                Map<Value, String> pointers = e.pointers(k, leaves);
                LoopNest nest = LoopNest.of(outShape.dims(), e.readStrides(leaves, outShape));
                List<String> offsets = IndexMath.offsets(k.f, it, nest, p);
                Map<Value, String> offs = new IdentityHashMap<>();
                for (int i = 0; i < leaves.size(); i++) offs.put(leaves.get(i), it.toI64(k.f, offsets.get(i)));
                List<Reg> in = new ArrayList<>();
                for (Value x : last.inputs()) in.add(e.element(cx, x, pointers, offs, memo, true));
                stored = FunctionEmitter.apply(cx, last, in);
            }
            Scalars.store(k.f, result.dtype(), stored, k.param(e.ref(result), true), it.toI64(k.f, p));
        };
    }

    private long reducedCount() {
        return ReductionDims.of(e.types.shape(node.inputs().get(0)), node.attrs()).count();
    }

    /** A reduction whose only outcome is a run-time error the shapes already decide. */
    private void raiseOnly(String message) {
        KernelBuilder k = new KernelBuilder(e.module, "raise", KernelBuilder.WARP);
        k.cx.node = node;
        k.cx.raise(message);
        e.launch(k, 1, 1, 1, false);
    }

    private static long ceilDiv(long a, long b) { return (a + b - 1) / b; }
}
