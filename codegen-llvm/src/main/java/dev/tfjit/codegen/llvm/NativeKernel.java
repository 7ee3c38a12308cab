package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.kernels.random.PhiloxState;
import dev.tfjit.ir.kernels.random.RandomStream;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

/**
 * A graph compiled for one set of concrete argument shapes: one native entry point, called
 * once per run with arrays of argument and result pointers and a scratch block. Result
 * buffers are allocated here, in Java, from the types the shapes imply; the native code only
 * ever sees buffers whose sizes were checked. Results and large scratch blocks come
 * uninitialized from the native memory pool: the entry function writes every result element
 * and zeroes whatever it needs zeroed itself ({@link FunctionEmitter}), so no call pays for
 * clearing 64 MiB it is about to overwrite, or for fresh pages. Small scratch blocks are kept
 * per thread and reused: a small step (a training step of a small model) would otherwise spend
 * a good part of its time allocating and releasing them. A result whose size only the run
 * decides (a dynamically sized TensorArray) comes back through {@link GrowableResults}.
 */
final class NativeKernel {
    private static final FunctionDescriptor ENTRY = FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS);

    private final MethodHandle entry;
    private final int argCount;
    /** The streams of the graph's random nodes ({@link RandomSites}): their states follow the arguments in the argument array. */
    private final RandomStream[] streams;
    private final List<TensorType> resultTypes;
    private final long scratchBytes;
    private final ErrorSites errors;
    /** Scratch up to this size is kept per thread; larger blocks come from the pool for each call. */
    private static final long KEPT_SCRATCH_BYTES = 1L << 20;
    private final ThreadLocal<Frame> frames;
    private final boolean growableResults;

    /**
     * What one call passes besides the buffers: the argument and result pointer arrays and, when
     * small, the scratch block. Each thread keeps one per kernel; {@code inUse} guards a call that
     * reenters the same kernel on the same thread (through a Java callback), which gets a new frame.
     */
    private static final class Frame {
        final MemorySegment argv, resv, scratch, pairs;
        boolean inUse;

        Frame(int args, int results, long scratchBytes, boolean keepScratch, boolean growableResults) {
            Arena arena = Arena.ofAuto();
            pairs = growableResults ? GrowableResults.pairs(arena, results) : MemorySegment.NULL;
            argv = arena.allocate(ValueLayout.ADDRESS, Math.max(1, args));
            resv = arena.allocate(ValueLayout.ADDRESS, Math.max(1, results));
            scratch = scratchBytes == 0 || !keepScratch ? MemorySegment.NULL : arena.allocate(scratchBytes, Buffer.ALIGNMENT);
        }
    }

    NativeKernel(long address, int argCount, List<RandomStream> streams, List<TensorType> resultTypes, long scratchBytes, ErrorSites errors) {
        this.argCount = argCount;
        this.streams = streams.toArray(new RandomStream[0]);
        this.entry = Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(address), ENTRY);
        this.resultTypes = List.copyOf(resultTypes);
        this.scratchBytes = scratchBytes;
        this.errors = errors;
        this.frames = ThreadLocal.withInitial(this::newFrame);
        this.growableResults = GrowableResults.any(this.resultTypes);
    }

    /** The per-call scratch block's size in bytes. */
    long scratchBytes() { return scratchBytes; }

    private Frame newFrame() {
        return new Frame(argCount + streams.length, resultTypes.size(), scratchBytes, scratchBytes <= KEPT_SCRATCH_BYTES, growableResults);
    }

    /** Runs on arguments whose dtypes and shapes were checked against this kernel's signature. */
    List<Buffer> run(List<Buffer> args) {
        List<Buffer> results = new ArrayList<>(resultTypes.size());
        for (TensorType t : resultTypes) results.add(GrowableResults.isGrowable(t) ? null : Buffer.allocateUninitialized(t.dtype(), t.shape()));
        Frame kept = frames.get();
        Frame frame = kept.inUse ? newFrame() : kept;
        frame.inUse = true;
        Buffer pooled = null;
        MemorySegment scratch = frame.scratch;
        if (scratchBytes > 0 && scratch.equals(MemorySegment.NULL)) {
            pooled = Buffer.allocateUninitialized(DType.INT8, Shape.of(Math.toIntExact(
                    (scratchBytes + Buffer.ALIGNMENT - 1) / Buffer.ALIGNMENT), (int) Buffer.ALIGNMENT));
            scratch = pooled.segment();
        }
        // Looked up per call: tf.random.set_seed replaces the states (PhiloxStreams.reset).
        PhiloxState[] states = streams.length == 0 ? null : new PhiloxState[streams.length];
        int status = -1;
        try {
            for (int i = 0; i < args.size(); i++) frame.argv.setAtIndex(ValueLayout.ADDRESS, i, args.get(i).segment());
            for (int s = 0; s < streams.length; s++) {
                states[s] = streams[s].shared();
                frame.argv.setAtIndex(ValueLayout.ADDRESS, argCount + s, states[s].segment());
            }
            for (int i = 0; i < results.size(); i++) {
                frame.resv.setAtIndex(ValueLayout.ADDRESS, i, results.get(i) != null ? results.get(i).segment() : GrowableResults.slot(frame.pairs, i));
            }
            status = (int) entry.invokeExact(frame.argv, frame.resv, scratch);
            if (status != 0) throw errors.error(status, scratch); // formatted while the scratch block holds the details
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException("native call failed", t);
        } finally {
            Reference.reachabilityFence(args);
            Reference.reachabilityFence(results);
            Reference.reachabilityFence(pooled);
            Reference.reachabilityFence(states);
            frame.inUse = false;
            // The arrays the call handed over are copied out when it succeeded, and freed either way.
            if (growableResults) GrowableResults.takeAll(frame.pairs, resultTypes, results, status == 0);
        }
        return results;
    }
}
