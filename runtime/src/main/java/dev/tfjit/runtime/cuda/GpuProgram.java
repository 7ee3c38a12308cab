package dev.tfjit.runtime.cuda;

import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A graph compiled for the GPU at one concrete signature, as the runtime needs it: the PTX
 * module holding its kernels, and the steps that run them (kernel launches and device copies,
 * in order, and the loops and branches the host drives: {@link StepWalker}), with every kernel
 * parameter named as a place in memory. Nothing here needs LLVM:
 * {@link GpuProgramFiles} stores a program so that a machine with only a JDK and a GPU driver
 * runs it ({@link GpuExecutable}).
 *
 * <p>Memory: the caller's arguments and result buffers, one scratch block per run (its first
 * four bytes are the status word, zeroed before the first step), and the constants uploaded
 * once when the program is loaded.
 *
 * @param target the PTX target the module was generated for, e.g. {@code sm_90}
 * @param scratchBytes the size of the per-run scratch block, status word included
 * @param constants the bytes of each constant tensor ({@link Ref.Space#CONSTANT} index)
 * @param errors the run-time errors that kernels signal with bit i of the status word
 */
public record GpuProgram(String name, String target, String ptx, List<TensorType> params, List<TensorType> results,
                         long scratchBytes, List<byte[]> constants, List<Step> steps, List<GpuProgram.ErrorSite> errors) {
    /**
     * A run-time error a kernel can signal: the op, where the user's code staged it, and TF's
     * message; where it names run-time values (a bad index), a template whose
     * {@link dev.tfjit.runtime.ErrorDetails} placeholders are int64 slots of scratch that the
     * failing kernel filled.
     */
    public record ErrorSite(String op, SourceLocation location, String message) {}

    /** The status word: kernels OR their error bits into it. */
    public static final Ref STATUS = new Ref(Ref.Space.SCRATCH, 0, 0);
    /** Where scratch values start: the status word keeps the first 256 bytes (cuMemAlloc's alignment). */
    public static final long SCRATCH_START = 256;

    public GpuProgram {
        params = List.copyOf(params);
        results = List.copyOf(results);
        constants = List.copyOf(constants);
        steps = List.copyOf(steps);
        errors = List.copyOf(errors);
        if (scratchBytes < SCRATCH_START) throw new IllegalArgumentException("scratch must hold the status word");
    }

    /** A place in device memory: a byte offset into an argument, a result, the scratch block or a constant. */
    public record Ref(Space space, int index, long offset) {
        public enum Space { ARG, RESULT, SCRATCH, CONSTANT }

        public Ref {
            if (index < 0 || offset < 0) throw new IllegalArgumentException("negative index or offset in " + space);
        }

        /** The text form used in program files, e.g. {@code arg0+0}, {@code scratch+256}. */
        @Override
        public String toString() {
            return switch (space) {
                case ARG -> "arg" + index;
                case RESULT -> "result" + index;
                case SCRATCH -> "scratch";
                case CONSTANT -> "const" + index;
            } + "+" + offset;
        }

        public static Ref parse(String s) {
            int plus = s.indexOf('+');
            if (plus < 0) throw new IllegalArgumentException("not a memory reference: " + s);
            String base = s.substring(0, plus);
            long offset = Long.parseLong(s.substring(plus + 1));
            if (base.equals("scratch")) return new Ref(Space.SCRATCH, 0, offset);
            for (Space sp : new Space[]{Space.ARG, Space.RESULT, Space.CONSTANT}) {
                String prefix = sp == Space.CONSTANT ? "const" : sp.name().toLowerCase(java.util.Locale.ROOT);
                if (base.startsWith(prefix)) return new Ref(sp, Integer.parseInt(base.substring(prefix.length())), offset);
            }
            throw new IllegalArgumentException("not a memory reference: " + s);
        }
    }

    /** One thing a run does, in order, on one stream. */
    public sealed interface Step permits Launch, Copy, While, Cond {}

    /**
     * Launches {@code kernel} with {@code args} (device pointers, in parameter order) on a grid of
     * {@code gridX x gridY x gridZ} blocks of {@code block} threads. When {@code gridStride} the
     * kernel loops over its work, so the runtime may launch fewer x blocks (as many as are
     * resident at once on the device) and each block does more.
     */
    public record Launch(String kernel, long gridX, int gridY, int gridZ, int block, boolean gridStride, List<Ref> args)
            implements Step {
        public Launch {
            args = List.copyOf(args);
            if (gridX < 1 || gridY < 1 || gridZ < 1 || block < 1 || block > 1024) {
                throw new IllegalArgumentException("bad launch shape for " + kernel);
            }
            if (!gridStride && gridX > Integer.MAX_VALUE) throw new IllegalArgumentException("grid too large for " + kernel);
        }
    }

    /** Copies {@code bytes} between two places (a result that is an argument, a constant, or another result). */
    public record Copy(Ref dst, Ref src, long bytes) implements Step {}

    /**
     * A {@code while} loop driven by the host, as XLA runs one on a GPU: the {@code cond} steps
     * leave a {@code bool} at {@code predicate}, the host reads it back, and while it is true the
     * {@code body} steps run (they end by copying the next values into the loop vars' places).
     */
    public record While(List<Step> cond, Ref predicate, List<Step> body) implements Step {
        public While {
            cond = List.copyOf(cond);
            body = List.copyOf(body);
        }
    }

    /** A {@code cond}: the host reads the {@code bool} at {@code predicate} and runs one branch's steps. */
    public record Cond(Ref predicate, List<Step> then, List<Step> otherwise) implements Step {
        public Cond {
            then = List.copyOf(then);
            otherwise = List.copyOf(otherwise);
        }
    }

    /** The kernels the steps launch (inside loops and branches too), each once, in program order. */
    public List<String> kernels() {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        collectKernels(steps, out);
        return List.copyOf(out);
    }

    private static void collectKernels(List<Step> steps, Set<String> out) {
        for (Step s : steps) {
            switch (s) {
                case Launch l -> out.add(l.kernel());
                case Copy c -> { }
                case While w -> {
                    collectKernels(w.cond(), out);
                    collectKernels(w.body(), out);
                }
                case Cond c -> {
                    collectKernels(c.then(), out);
                    collectKernels(c.otherwise(), out);
                }
            }
        }
    }

    /** Whether running the program needs the host to read values back mid-run (a loop or a branch). */
    public boolean hasControlFlow() {
        for (Step s : steps) if (s instanceof While || s instanceof Cond) return true;
        return false;
    }
}
