package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;

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
 * ever sees buffers whose sizes were checked. Results and scratch come uninitialized from the
 * native memory pool: the entry function writes every result element and zeroes whatever it
 * needs zeroed itself ({@link FunctionEmitter}), so no call pays for clearing 64 MiB it is
 * about to overwrite, or for fresh pages.
 */
final class NativeKernel {
    private static final FunctionDescriptor ENTRY = FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS);

    private final MethodHandle entry;
    private final List<TensorType> resultTypes;
    private final long scratchBytes;
    private final ErrorSites errors;

    NativeKernel(long address, List<TensorType> resultTypes, long scratchBytes, ErrorSites errors) {
        this.entry = Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(address), ENTRY);
        this.resultTypes = List.copyOf(resultTypes);
        this.scratchBytes = scratchBytes;
        this.errors = errors;
    }

    /** Runs on arguments whose dtypes and shapes were checked against this kernel's signature. */
    List<Buffer> run(List<Buffer> args) {
        List<Buffer> results = new ArrayList<>(resultTypes.size());
        for (TensorType t : resultTypes) results.add(Buffer.allocateUninitialized(t.dtype(), t.shape()));
        Buffer scratch = scratchBytes == 0 ? null : Buffer.allocateUninitialized(DType.INT8, Shape.of(Math.toIntExact(
                (scratchBytes + Buffer.ALIGNMENT - 1) / Buffer.ALIGNMENT), (int) Buffer.ALIGNMENT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment argv = arena.allocate(ValueLayout.ADDRESS, Math.max(1, args.size()));
            for (int i = 0; i < args.size(); i++) argv.setAtIndex(ValueLayout.ADDRESS, i, args.get(i).segment());
            MemorySegment resv = arena.allocate(ValueLayout.ADDRESS, Math.max(1, results.size()));
            for (int i = 0; i < results.size(); i++) resv.setAtIndex(ValueLayout.ADDRESS, i, results.get(i).segment());
            MemorySegment scratchSegment = scratch == null ? MemorySegment.NULL : scratch.segment();
            int status = (int) entry.invokeExact(argv, resv, scratchSegment);
            if (status != 0) throw errors.error(status, scratchSegment); // formatted while the scratch block holds the details
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException("native call failed", t);
        } finally {
            Reference.reachabilityFence(args);
            Reference.reachabilityFence(scratch);
        }
        return results;
    }
}
