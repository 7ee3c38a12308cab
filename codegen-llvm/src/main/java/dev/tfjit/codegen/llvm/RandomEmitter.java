package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Node;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.kernels.ComputeType;
import dev.tfjit.ir.kernels.random.BoxMuller;
import dev.tfjit.ir.kernels.random.PhiloxState;
import dev.tfjit.ir.kernels.random.RandomStream;
import dev.tfjit.ir.ops.RandomOps;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The stateful random ops as native code, number for number the interpreter's
 * ({@code RandomKernels}): TF's Philox4x32-10 with its key and counter layout, its float
 * conversions, Box-Muller with {@link BoxMuller}'s log, sine and cosine, truncated normals
 * redrawn per output group from the group's own counter offset, and Fisher-Yates shuffles.
 *
 * <p>Each execution of a random node first reserves its blocks of the node's stream with one
 * atomic add on the stream's {@link PhiloxState}, whose address the caller passes after the
 * arguments ({@link RandomSites}), exactly when and as much as the interpreter would: so a
 * compiled function continues the interpreter's streams across calls, random ops in loops and
 * branches draw once per execution, and concurrent calls never share numbers. A node after a
 * run-time error does not reserve (the interpreter would have stopped there; only where fusion
 * moved an earlier node's check into a later loop can a failing call still advance a stream).
 * Philox is counter-based,
 * so every output block is computed from the reserved position alone and large tensors are
 * split across the worker pool.
 */
final class RandomEmitter {
    private RandomEmitter() {}

    private static final Set<OpDef> OPS = Set.of(RandomOps.RANDOM_UNIFORM, RandomOps.RANDOM_UNIFORM_INT,
            RandomOps.RANDOM_STANDARD_NORMAL, RandomOps.TRUNCATED_NORMAL, RandomOps.RANDOM_SHUFFLE);

    static boolean lowers(OpDef op) { return OPS.contains(op); }

    /** Relative cost of one Philox block (ten rounds of two wide multiplies), and of turning it into normals. */
    private static final long BLOCK_COST = 24, NORMAL_COST = 96, TRUNCATED_COST = 256;

    /**
     * The per-execution values a loop reads through one pointer (so parallel parts see them too):
     * the reserved counter's low and high words, the key, and two operands of the op.
     */
    private static final int CTR_LO = 0, CTR_HI = 1, KEY = 2, AUX0 = 3, AUX1 = 4, SLOTS = 5;

    static void emit(FunctionEmitter e, Node n) {
        OpDef op = n.op();
        Value out = n.output();
        Shape shape = e.types.shape(out);
        DType t = out.dtype();
        String slot = e.f.alloca("[" + SLOTS + " x i64]");
        if (op == RandomOps.RANDOM_UNIFORM_INT) rangeOperands(e, n, slot);
        long blocks = RandomStream.blocks(op.name(), shape);
        if (blocks > 0) reserve(e, n, slot, blocks);
        long count = shape.numElements();
        if (op == RandomOps.RANDOM_SHUFFLE) {
            shuffle(e, n, slot, blocks > 0);
        } else if (count == 0) {
            return;
        } else if (op == RandomOps.RANDOM_UNIFORM) {
            uniform(e, out, t, slot, count);
        } else if (op == RandomOps.RANDOM_UNIFORM_INT) {
            uniformInt(e, out, t, slot, count);
        } else if (op == RandomOps.RANDOM_STANDARD_NORMAL) {
            normal(e, out, t, slot, count);
        } else {
            truncatedNormal(e, out, t, slot, count);
        }
    }

    // ------------------------------------------------------------ the stream

    /**
     * {@code PhiloxState.reserve}: one atomic add of {@code blocks} on the counter's low word,
     * unless an error is pending; then the high word and the key, all into {@code slot}.
     */
    private static void reserve(FunctionEmitter e, Node n, String slot, long blocks) {
        IrFunction f = e.f;
        int index = RandomSites.argumentIndex(e.graph, n);
        String state = f.let("load ptr, ptr " + f.let("getelementptr inbounds ptr, ptr %args, i64 " + index));
        String lo = at(f, slot, CTR_LO);
        f.line("store i64 0, ptr " + lo);
        String ok = f.let("icmp eq i32 " + f.let("load i32, ptr " + e.cx.status) + ", 0");
        f.ifThen(ok, () -> f.line("store i64 " + f.let("atomicrmw add ptr " + state + ", i64 " + blocks + " seq_cst") + ", ptr " + lo));
        for (int[] w : new int[][] {{CTR_HI, (int) PhiloxState.COUNTER_HIGH}, {KEY, (int) PhiloxState.KEY}}) {
            String v = f.let("load i64, ptr " + f.let("getelementptr inbounds i8, ptr " + state + ", i64 " + w[1]));
            f.line("store i64 " + v + ", ptr " + at(f, slot, w[0]));
        }
    }

    private static String at(IrFunction f, String slot, int i) { return f.let("getelementptr inbounds i64, ptr " + slot + ", i64 " + i); }

    /** The slot's values, loaded once in the function being written (before its loop, so nothing reloads them per block). */
    private static String[] load(IrFunction f, String slot) {
        String[] v = new String[SLOTS];
        for (int i = 0; i < SLOTS; i++) v[i] = f.let("load i64, ptr " + at(f, slot, i));
        return v;
    }

    /** The four words of block {@code skip} after the reserved position {@code v} ({@link #load}), as i32 operands. */
    private static String[] block(KernelContext k, String[] v, String skip) {
        IrFunction f = k.f;
        k.module.helper("@tfjit_philox", PHILOX);
        String r = f.let("call <4 x i32> @tfjit_philox(i64 " + v[CTR_LO] + ", i64 " + v[CTR_HI] + ", i64 " + v[KEY] + ", i64 " + skip + ")");
        String[] w = new String[4];
        for (int i = 0; i < 4; i++) w[i] = f.let("extractelement <4 x i32> " + r + ", i32 " + i);
        return w;
    }

    /**
     * {@code Philox.next} at counter {@code hi:lo} plus {@code skip} ({@code Philox.skip}'s
     * 128-bit add), ten rounds unrolled.
     */
    private static final String PHILOX = philox();

    private static String philox() {
        StringBuilder b = new StringBuilder("""
                define internal <4 x i32> @tfjit_philox(i64 %lo, i64 %hi, i64 %key, i64 %skip) alwaysinline {
                  %clo = add i64 %lo, %skip
                  %wrap = icmp ult i64 %clo, %lo
                  %carry = zext i1 %wrap to i64
                  %chi = add i64 %hi, %carry
                  %c0.0 = trunc i64 %clo to i32
                  %clos = lshr i64 %clo, 32
                  %c1.0 = trunc i64 %clos to i32
                  %c2.0 = trunc i64 %chi to i32
                  %chis = lshr i64 %chi, 32
                  %c3.0 = trunc i64 %chis to i32
                  %k0.0 = trunc i64 %key to i32
                  %keys = lshr i64 %key, 32
                  %k1.0 = trunc i64 %keys to i32
                """);
        for (int r = 0; r < 10; r++) {
            int s = r + 1;
            b.append("""
                      %a.R = zext i32 %c0.R to i64
                      %p0.R = mul i64 %a.R, 3528531795
                      %b.R = zext i32 %c2.R to i64
                      %p1.R = mul i64 %b.R, 3449720151
                      %h1.R = lshr i64 %p1.R, 32
                      %h1t.R = trunc i64 %h1.R to i32
                      %x0.R = xor i32 %h1t.R, %c1.R
                      %c0.S = xor i32 %x0.R, %k0.R
                      %c1.S = trunc i64 %p1.R to i32
                      %h0.R = lshr i64 %p0.R, 32
                      %h0t.R = trunc i64 %h0.R to i32
                      %x2.R = xor i32 %h0t.R, %c3.R
                      %c2.S = xor i32 %x2.R, %k1.R
                      %c3.S = trunc i64 %p0.R to i32
                      %k0.S = add i32 %k0.R, -1640531527
                      %k1.S = add i32 %k1.R, -1150833019
                    """.replace(".R", "." + r).replace(".S", "." + s));
        }
        b.append("""
                  %v0 = insertelement <4 x i32> poison, i32 %c0.10, i32 0
                  %v1 = insertelement <4 x i32> %v0, i32 %c1.10, i32 1
                  %v2 = insertelement <4 x i32> %v1, i32 %c2.10, i32 2
                  %v3 = insertelement <4 x i32> %v2, i32 %c3.10, i32 3
                  ret <4 x i32> %v3
                }
                """);
        return b.toString();
    }

    // ------------------------------------------------------------ loops over blocks

    /** The values one block yields, in output order. */
    @FunctionalInterface
    private interface BlockValues {
        List<Reg> of(KernelContext k, String[] slot, String[] words);
    }

    /**
     * Output element {@code b * perBlock + i} is value i of block b: whole blocks in a loop
     * (split across the pool when large), then the last, partial block.
     */
    private static void perBlock(FunctionEmitter e, Value out, DType t, String slot, long count, int perBlock, long cost, BlockValues values) {
        long whole = count / perBlock;
        int rest = (int) (count % perBlock);
        String outPtr = e.pointer(out);
        boolean parallel = ParallelLoop.worthSplitting(whole, cost);
        ParallelLoop.emit(e, whole, ParallelLoop.half(whole, 16), parallel, List.of(outPtr, slot), (k, ptr, begin, end, part) -> {
            String o = ptr.apply(outPtr);
            IrFunction f = k.f;
            String[] s = load(f, ptr.apply(slot));
            f.forRange(begin, end, b -> {
                List<Reg> v = values.of(k, s, block(k, s, b));
                String first = f.let("mul nuw nsw i64 " + b + ", " + perBlock);
                for (int i = 0; i < perBlock; i++) Scalars.store(f, t, v.get(i), o, i == 0 ? first : f.let("add nuw nsw i64 " + first + ", " + i));
            });
        });
        if (rest > 0) {
            String[] s = load(e.f, slot);
            List<Reg> v = values.of(e.cx, s, block(e.cx, s, Long.toString(whole)));
            for (int i = 0; i < rest; i++) Scalars.store(e.f, t, v.get(i), outPtr, Long.toString(whole * perBlock + i));
        }
    }

    // ------------------------------------------------------------ uniform

    private static void uniform(FunctionEmitter e, Value out, DType t, String slot, long count) {
        switch (t) {
            case FLOAT32 -> perBlock(e, out, t, slot, count, 4, BLOCK_COST, (k, s, w) -> {
                List<Reg> v = new ArrayList<>();
                for (String x : w) v.add(toFloat(k.f, x));
                return v;
            });
            case FLOAT64 -> perBlock(e, out, t, slot, count, 2, BLOCK_COST,
                    (k, s, w) -> List.of(toDouble(k.f, w[0], w[1]), toDouble(k.f, w[2], w[3])));
            // Uint16ToHalf / Uint16ToGfloat16: the low 10 (7) bits over 1024 (128), exact in float and in the half type.
            case FLOAT16, BFLOAT16 -> perBlock(e, out, t, slot, count, 4, BLOCK_COST, (k, s, w) -> {
                int bits = t == DType.FLOAT16 ? 10 : 7;
                List<Reg> v = new ArrayList<>();
                for (String x : w) {
                    String m = k.f.let("and i32 " + x + ", " + ((1 << bits) - 1));
                    String fl = k.f.let("uitofp i32 " + m + " to float");
                    v.add(new Reg(k.f.let("fmul float " + fl + ", " + Scalars.floatLiteral(1f / (1 << bits))), ComputeType.F32));
                }
                return v;
            });
            default -> throw new IllegalStateException("random_uniform of " + t);
        }
    }

    /** {@code Philox.toFloat}: 23 mantissa bits under exponent 0, minus one. */
    private static Reg toFloat(IrFunction f, String x) {
        String m = f.let("and i32 " + x + ", 8388607");
        String bits = f.let("or i32 " + m + ", 1065353216");
        return new Reg(f.let("fsub float " + f.let("bitcast i32 " + bits + " to float") + ", 1.0"), ComputeType.F32);
    }

    /** {@code Philox.toDouble}: 32 mantissa bits from {@code lo}, 20 from {@code hi}. */
    private static Reg toDouble(IrFunction f, String lo, String hi) {
        String h = f.let("zext i32 " + f.let("and i32 " + hi + ", 1048575") + " to i64");
        String l = f.let("zext i32 " + lo + " to i64");
        String man = f.let("or i64 " + f.let("shl i64 " + h + ", 32") + ", " + l);
        String bits = f.let("or i64 " + man + ", 4607182418800017408");
        return new Reg(f.let("fsub double " + f.let("bitcast i64 " + bits + " to double") + ", 1.0"), ComputeType.F64);
    }

    // ------------------------------------------------------------ uniform integers

    /**
     * minval and maxval, checked as the interpreter checks them (before it reserves anything),
     * then stored as {@code lo} and the unsigned range in the slot.
     */
    private static void rangeOperands(FunctionEmitter e, Node n, String slot) {
        IrFunction f = e.f;
        String lo = scalarI64(e, n.inputs().get(0)), hi = scalarI64(e, n.inputs().get(1));
        String bad = f.let("icmp sge i64 " + lo + ", " + hi);
        DetailedError.raiseIf(e, bad, List.of(lo, hi), v -> "Need minval < maxval: " + v.get(0) + " >= " + v.get(1));
        f.line("store i64 " + lo + ", ptr " + at(f, slot, AUX0));
        // After the error the values are never seen; a range of 1 keeps the remainders defined.
        String range = f.let("select i1 " + bad + ", i64 1, i64 " + f.let("sub i64 " + hi + ", " + lo));
        f.line("store i64 " + range + ", ptr " + at(f, slot, AUX1));
    }

    private static String scalarI64(FunctionEmitter e, Value v) {
        Reg r = e.isImmediate(v) ? Scalars.constant(e.immediate(v), 0, false) : Scalars.load(e.f, v.dtype(), e.pointer(v), "0", false);
        return r.type() == ComputeType.I64 ? r.name() : e.f.let("sext i32 " + r.name() + " to i64");
    }

    /** {@code lo + bits % range}: one word per int32, two per int64 (low word first), unsigned remainders. */
    private static void uniformInt(FunctionEmitter e, Value out, DType t, String slot, long count) {
        if (t == DType.INT32) {
            perBlock(e, out, t, slot, count, 4, BLOCK_COST, (k, s, w) -> {
                IrFunction f = k.f;
                String lo = f.let("trunc i64 " + s[AUX0] + " to i32"), range = f.let("trunc i64 " + s[AUX1] + " to i32");
                List<Reg> v = new ArrayList<>();
                for (String x : w) v.add(new Reg(f.let("add i32 " + lo + ", " + f.let("urem i32 " + x + ", " + range)), ComputeType.I32));
                return v;
            });
        } else {
            perBlock(e, out, t, slot, count, 2, BLOCK_COST, (k, s, w) -> {
                IrFunction f = k.f;
                String lo = s[AUX0], range = s[AUX1];
                List<Reg> v = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    String bits = f.let("or i64 " + f.let("zext i32 " + w[2 * i] + " to i64") + ", "
                            + f.let("shl i64 " + f.let("zext i32 " + w[2 * i + 1] + " to i64") + ", 32"));
                    v.add(new Reg(f.let("add i64 " + lo + ", " + f.let("urem i64 " + bits + ", " + range)), ComputeType.I64));
                }
                return v;
            });
        }
    }

    // ------------------------------------------------------------ normals

    private static void normal(FunctionEmitter e, Value out, DType t, String slot, long count) {
        if (t == DType.FLOAT64) {
            perBlock(e, out, t, slot, count, 2, NORMAL_COST, (k, s, w) -> boxMullerDouble(k, w));
        } else {
            perBlock(e, out, t, slot, count, 4, NORMAL_COST, (k, s, w) -> {
                List<Reg> v = new ArrayList<>(boxMullerFloat(k, w[0], w[1]));
                v.addAll(boxMullerFloat(k, w[2], w[3]));
                return v;
            });
        }
    }

    /** {@link BoxMuller#toFloats}, operation for operation. */
    private static List<Reg> boxMullerFloat(KernelContext k, String x0, String x1) {
        IrFunction f = k.f;
        useMath(k);
        Reg u = toFloat(f, x0);
        String eps = Scalars.floatLiteral(BoxMuller.EPSILON_FLOAT);
        String u1 = f.let("select i1 " + f.let("fcmp olt float " + u.name() + ", " + eps) + ", float " + eps + ", float " + u.name());
        String angle = f.let("fmul double " + Scalars.doubleLiteral(BoxMuller.TWO_PI) + ", " + f.let("fpext float " + toFloat(f, x1).name() + " to double"));
        String v1 = f.let("fptrunc double " + angle + " to float");
        String log = f.let("fptrunc double " + f.let("call double @tfjit_bm_log(double " + f.let("fpext float " + u1 + " to double") + ")") + " to float");
        String m = f.let("fmul float -2.0, " + log);
        String u2 = f.let("fptrunc double " + f.let("call double @llvm.sqrt.f64(double " + f.let("fpext float " + m + " to double") + ")") + " to float");
        String sc = f.let("call { double, double } @tfjit_bm_sincos(double " + f.let("fpext float " + v1 + " to double") + ")");
        List<Reg> v = new ArrayList<>(2);
        for (int i = 0; i < 2; i++) {
            String trig = f.let("fptrunc double " + f.let("extractvalue { double, double } " + sc + ", " + i) + " to float");
            v.add(new Reg(f.let("fmul float " + trig + ", " + u2), ComputeType.F32));
        }
        return v;
    }

    /** {@link BoxMuller#toDoubles}, operation for operation. */
    private static List<Reg> boxMullerDouble(KernelContext k, String[] w) {
        IrFunction f = k.f;
        useMath(k);
        Reg u = toDouble(f, w[0], w[1]);
        String eps = Scalars.doubleLiteral(BoxMuller.EPSILON_DOUBLE);
        String u1 = f.let("select i1 " + f.let("fcmp olt double " + u.name() + ", " + eps) + ", double " + eps + ", double " + u.name());
        String v1 = f.let("fmul double " + Scalars.doubleLiteral(BoxMuller.TWO_PI) + ", " + toDouble(f, w[2], w[3]).name());
        String m = f.let("fmul double -2.0, " + f.let("call double @tfjit_bm_log(double " + u1 + ")"));
        String u2 = f.let("call double @llvm.sqrt.f64(double " + m + ")");
        String sc = f.let("call { double, double } @tfjit_bm_sincos(double " + v1 + ")");
        List<Reg> v = new ArrayList<>(2);
        for (int i = 0; i < 2; i++) {
            v.add(new Reg(f.let("fmul double " + f.let("extractvalue { double, double } " + sc + ", " + i) + ", " + u2), ComputeType.F64));
        }
        return v;
    }

    /**
     * {@code TruncatedNormal}: group g of 4 outputs (2 for float64) starts at block
     * {@code g * group * 256 / 4} and takes Box-Muller samples in order, keeping those with
     * |x| < 2 until the group is full; outputs past the end are dropped. Groups are independent,
     * so they split across the pool, and most are done after their first block (all of its
     * samples inside, 83% of float groups): a first, vectorized pass stores every whole group's
     * first samples and notes whether they were all kept; a second pass redraws the groups that
     * were not (and the last, partial one) from their start, exactly as the interpreter draws them.
     */
    private static void truncatedNormal(FunctionEmitter e, Value out, DType t, String slot, long count) {
        boolean f64 = t == DType.FLOAT64;
        int group = f64 ? 2 : 4;
        long skipPerGroup = (long) group * RandomStream.RESERVED_PER_OUTPUT / 4;
        long groups = (count + group - 1) / group, whole = count / group;
        String outPtr = e.pointer(out);
        String done = e.uninitializedScratch(Math.max(1, whole));
        ParallelLoop.emit(e, whole, ParallelLoop.half(whole, 16), ParallelLoop.worthSplitting(whole, NORMAL_COST), List.of(outPtr, slot, done),
                (k, ptr, begin, end, part) -> {
                    String o = ptr.apply(outPtr), flags = ptr.apply(done);
                    IrFunction f = k.f;
                    String[] s = load(f, ptr.apply(slot));
                    f.forRange(begin, end, g -> {
                        List<Reg> c = candidates(k, s, f.let("mul nuw i64 " + g + ", " + skipPerGroup), f64);
                        String first = f.let("mul nuw nsw i64 " + g + ", " + group), all = "true";
                        for (int i = 0; i < group; i++) {
                            Scalars.store(f, t, c.get(i), o, i == 0 ? first : f.let("add nuw nsw i64 " + first + ", " + i));
                            all = f.let("and i1 " + all + ", " + inside(f, c.get(i)));
                        }
                        f.line("store i8 " + f.let("zext i1 " + all + " to i8") + ", ptr " + f.let("getelementptr inbounds i8, ptr " + flags + ", i64 " + g));
                    });
                });
        boolean parallel = ParallelLoop.worthSplitting(groups, TRUNCATED_COST / 4);
        ParallelLoop.emit(e, groups, groups / 2, parallel, List.of(outPtr, slot, done), (k, ptr, begin, end, part) -> {
            String o = ptr.apply(outPtr), flags = ptr.apply(done);
            IrFunction f = k.f;
            String[] s = load(f, ptr.apply(slot));
            String filled = f.alloca("i64"), next = f.alloca("i64");
            f.forRange(begin, end, g -> {
                String partial = f.let("icmp sge i64 " + g + ", " + whole);
                String flagged = f.let("load i8, ptr " + f.let("getelementptr inbounds i8, ptr " + flags + ", i64 "
                        + f.let("select i1 " + partial + ", i64 0, i64 " + g)));
                String redo = f.let("or i1 " + partial + ", " + f.let("icmp eq i8 " + flagged + ", 0"));
                f.ifThen(redo, () -> redraw(k, s, o, t, g, group, skipPerGroup, count, filled, next, f64));
            });
        });
    }

    /** One group drawn the interpreter's way: blocks from the group's start until {@code group} samples were kept. */
    private static void redraw(KernelContext k, String[] s, String o, DType t, String g, int group, long skipPerGroup, long count,
                               String filled, String next, boolean f64) {
        IrFunction f = k.f;
        String start = f.let("mul nuw nsw i64 " + g + ", " + group);
        f.line("store i64 0, ptr " + filled);
        f.line("store i64 " + f.let("mul nuw i64 " + g + ", " + skipPerGroup) + ", ptr " + next);
        String head = f.newLabel("tn.draw"), done = f.newLabel("tn.done");
        f.line("br label %" + head);
        f.block(head);
        String b = f.let("load i64, ptr " + next);
        f.line("store i64 " + f.let("add i64 " + b + ", 1") + ", ptr " + next);
        for (Reg c : candidates(k, s, b, f64)) {
            String have = f.let("load i64, ptr " + filled);
            String room = f.let("icmp slt i64 " + have + ", " + group);
            f.ifThen(f.let("and i1 " + room + ", " + inside(f, c)), () -> {
                String i = f.let("add nuw nsw i64 " + start + ", " + have);
                f.ifThen(f.let("icmp slt i64 " + i + ", " + count), () -> Scalars.store(f, t, c, o, i));
                f.line("store i64 " + f.let("add nuw nsw i64 " + have + ", 1") + ", ptr " + filled);
            });
        }
        String full = f.let("icmp sge i64 " + f.let("load i64, ptr " + filled) + ", " + group);
        f.line("br i1 " + full + ", label %" + done + ", label %" + head);
        f.block(done);
    }

    /** The Box-Muller samples of block {@code b}, in the order the interpreter takes them: 4 floats or 2 doubles. */
    private static List<Reg> candidates(KernelContext k, String[] s, String b, boolean f64) {
        String[] w = block(k, s, b);
        if (f64) return boxMullerDouble(k, w);
        List<Reg> c = new ArrayList<>(boxMullerFloat(k, w[0], w[1]));
        c.addAll(boxMullerFloat(k, w[2], w[3]));
        return c;
    }

    /** |x| < 2: the sample is kept. */
    private static String inside(IrFunction f, Reg x) {
        String abs = f.let("call " + x.llvmType() + " @llvm.fabs." + (x.type() == ComputeType.F64 ? "f64" : "f32") + "(" + x.typed() + ")");
        return f.let("fcmp olt " + x.llvmType() + " " + abs + ", 2.0");
    }

    // ------------------------------------------------------------ shuffle

    /**
     * {@code RandomShuffle}: Fisher-Yates over row numbers with one word per swap ({@code word %
     * (i + 1)}, words taken in order from the reserved blocks), then the rows copied in that
     * order. With nothing to permute the input is copied as it is.
     */
    private static void shuffle(FunctionEmitter e, Node n, String slot, boolean draws) {
        IrFunction f = e.f;
        Value x = n.inputs().get(0), out = n.output();
        Shape s = e.types.shape(x);
        long bytes = s.numElements() * x.dtype().byteSize();
        if (bytes == 0) return;
        String src = e.pointer(x), dst = e.pointer(out);
        e.module.helper("memcpy", ViewCopy.MEMCPY);
        if (!draws) {
            f.line("call void @llvm.memcpy.p0.p0.i64(ptr " + dst + ", ptr " + src + ", i64 " + bytes + ", i1 false)");
            return;
        }
        long rows = s.dim(0), rowBytes = bytes / rows;
        String perm = e.uninitializedScratch(rows * 4);
        f.forLoop(Long.toString(rows), i -> f.line("store i32 " + f.let("trunc i64 " + i + " to i32") + ", ptr "
                + f.let("getelementptr inbounds i32, ptr " + perm + ", i64 " + i)));
        String words = f.alloca("<4 x i32>");
        String[] position = load(f, slot);
        f.forLoop(Long.toString(rows - 1), d -> { // draw d swaps row i = rows-1-d with row word % (i + 1)
            String lane = f.let("and i64 " + d + ", 3");
            f.ifThen(f.let("icmp eq i64 " + lane + ", 0"), () -> {
                String[] w = block(e.cx, position, f.let("lshr i64 " + d + ", 2"));
                String v = "poison";
                for (int i = 0; i < 4; i++) v = f.let("insertelement <4 x i32> " + v + ", i32 " + w[i] + ", i32 " + i);
                f.line("store <4 x i32> " + v + ", ptr " + words);
            });
            String word = f.let("extractelement <4 x i32> " + f.let("load <4 x i32>, ptr " + words) + ", i64 " + lane);
            String i = f.let("sub nsw i64 " + (rows - 1) + ", " + d);
            String bound = f.let("trunc i64 " + f.let("add nsw i64 " + i + ", 1") + " to i32");
            String j = f.let("zext i32 " + f.let("urem i32 " + word + ", " + bound) + " to i64");
            String pi = f.let("getelementptr inbounds i32, ptr " + perm + ", i64 " + i), pj = f.let("getelementptr inbounds i32, ptr " + perm + ", i64 " + j);
            String a = f.let("load i32, ptr " + pi), b = f.let("load i32, ptr " + pj);
            f.line("store i32 " + b + ", ptr " + pi);
            f.line("store i32 " + a + ", ptr " + pj);
        });
        f.forLoop(Long.toString(rows), r -> {
            String from = f.let("zext i32 " + f.let("load i32, ptr " + f.let("getelementptr inbounds i32, ptr " + perm + ", i64 " + r)) + " to i64");
            String sp = f.let("getelementptr inbounds i8, ptr " + src + ", i64 " + f.let("mul nuw nsw i64 " + from + ", " + rowBytes));
            String dp = f.let("getelementptr inbounds i8, ptr " + dst + ", i64 " + f.let("mul nuw nsw i64 " + r + ", " + rowBytes));
            f.line("call void @llvm.memcpy.p0.p0.i64(ptr " + dp + ", ptr " + sp + ", i64 " + rowBytes + ", i1 false)");
        });
    }

    // ------------------------------------------------------------ BoxMuller's log, sine and cosine

    private static void useMath(KernelContext k) {
        k.module.helper(MathFunctions.FMA_KEY, MathFunctions.FMA_DECLARATIONS);
        k.module.helper("@tfjit_bm_log", LOG);
        k.module.helper("@tfjit_bm_sincos", SINCOS);
    }

    private static String d(double x) { return Scalars.doubleLiteral(x); }

    /** {@code p = c[0]; p = p * z + c[i]} into {@code %<name>}; returns that name. */
    private static String horner(StringBuilder b, String name, double[] c, String z) {
        String p = d(c[0]);
        for (int i = 1; i < c.length; i++) {
            b.append("  %").append(name).append("m").append(i).append(" = fmul double ").append(p).append(", ").append(z).append('\n');
            b.append("  %").append(name).append(i).append(" = fadd double %").append(name).append("m").append(i).append(", ")
                    .append(d(c[i])).append('\n');
            p = "%" + name + i;
        }
        return p;
    }

    /** {@link BoxMuller#log}, operation for operation. */
    private static final String LOG = log();

    private static String log() {
        StringBuilder b = new StringBuilder("""
                define internal double @tfjit_bm_log(double %x) alwaysinline {
                  %bits = bitcast double %x to i64
                  %eb = lshr i64 %bits, 52
                  %e0 = sub i64 %eb, 1023
                  %mb = and i64 %bits, 4503599627370495
                  %mb1 = or i64 %mb, 4607182418800017408
                  %m0 = bitcast i64 %mb1 to double
                  %big = fcmp ogt double %m0, SQRT2
                  %mh = fmul double %m0, 0.5
                  %m = select i1 %big, double %mh, double %m0
                  %e1 = add i64 %e0, 1
                  %e = select i1 %big, i64 %e1, i64 %e0
                  %f = fsub double %m, 1.0
                  %den = fadd double 2.0, %f
                  %s = fdiv double %f, %den
                  %z = fmul double %s, %s
                """.replace("SQRT2", d(BoxMuller.SQRT2)));
        String p = horner(b, "p", BoxMuller.logSeriesCoefficients(), "%z");
        b.append("""
                  %r = fmul double P, %z
                  %hf = fmul double 0.5, %f
                  %hfsq = fmul double %hf, %f
                  %dk = sitofp i64 %e to double
                  %a1 = fadd double %hfsq, %r
                  %a2 = fmul double %s, %a1
                  %a3 = fmul double %dk, LN2LO
                  %a4 = fadd double %a2, %a3
                  %a5 = fsub double %hfsq, %a4
                  %a6 = fsub double %a5, %f
                  %a7 = fmul double %dk, LN2HI
                  %y = fsub double %a7, %a6
                  ret double %y
                }
                """.replace("P", p).replace("LN2LO", d(BoxMuller.LN2_LO)).replace("LN2HI", d(BoxMuller.LN2_HI)));
        return b.toString();
    }

    /** {@link BoxMuller#sinCos}, operation for operation. */
    private static final String SINCOS = sinCos();

    private static String sinCos() {
        StringBuilder b = new StringBuilder("""
                define internal { double, double } @tfjit_bm_sincos(double %x) alwaysinline {
                  %t = fmul double %x, TWO_OVER_PI
                  %k = call double @llvm.roundeven.f64(double %t)
                  %nk = fneg double %k
                  %r1 = call double @llvm.fma.f64(double %nk, double P1, double %x)
                  %r2 = call double @llvm.fma.f64(double %nk, double P2, double %r1)
                  %r = call double @llvm.fma.f64(double %nk, double P3, double %r2)
                  %z = fmul double %r, %r
                """.replace("TWO_OVER_PI", d(BoxMuller.TWO_OVER_PI)).replace("P1", d(BoxMuller.PIO2_1))
                .replace("P2", d(BoxMuller.PIO2_2)).replace("P3", d(BoxMuller.PIO2_3)));
        String ps = horner(b, "ps", BoxMuller.sinSeriesCoefficients(), "%z");
        String pc = horner(b, "pc", BoxMuller.cosSeriesCoefficients(), "%z");
        b.append("""
                  %rz = fmul double %r, %z
                  %rzp = fmul double %rz, PS
                  %sin = fadd double %r, %rzp
                  %hz = fmul double 0.5, %z
                  %w = fsub double 1.0, %hz
                  %omw = fsub double 1.0, %w
                  %lost = fsub double %omw, %hz
                  %zz = fmul double %z, %z
                  %zzp = fmul double %zz, PC
                  %tail = fadd double %lost, %zzp
                  %cos = fadd double %w, %tail
                  %ki = fptosi double %k to i32
                  %q = and i32 %ki, 3
                  %nsin = fneg double %sin
                  %ncos = fneg double %cos
                  %q0 = icmp eq i32 %q, 0
                  %q1 = icmp eq i32 %q, 1
                  %q2 = icmp eq i32 %q, 2
                  %s2 = select i1 %q2, double %nsin, double %ncos
                  %s1 = select i1 %q1, double %cos, double %s2
                  %s0 = select i1 %q0, double %sin, double %s1
                  %c2 = select i1 %q2, double %ncos, double %sin
                  %c1 = select i1 %q1, double %nsin, double %c2
                  %c0 = select i1 %q0, double %cos, double %c1
                  %o1 = insertvalue { double, double } poison, double %s0, 0
                  %o2 = insertvalue { double, double } %o1, double %c0, 1
                  ret { double, double } %o2
                }
                """.replace("PS", ps).replace("PC", pc));
        return b.toString();
    }
}
