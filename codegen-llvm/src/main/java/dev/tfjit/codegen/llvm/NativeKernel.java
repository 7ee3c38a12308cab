package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
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
 * ever sees buffers whose sizes were checked.
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
        for (TensorType t : resultTypes) results.add(Buffer.allocate(t.dtype(), t.shape()));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment argv = arena.allocate(ValueLayout.ADDRESS, Math.max(1, args.size()));
            for (int i = 0; i < args.size(); i++) argv.setAtIndex(ValueLayout.ADDRESS, i, args.get(i).segment());
            MemorySegment resv = arena.allocate(ValueLayout.ADDRESS, Math.max(1, results.size()));
            for (int i = 0; i < results.size(); i++) resv.setAtIndex(ValueLayout.ADDRESS, i, results.get(i).segment());
            MemorySegment scratch = scratchBytes == 0 ? MemorySegment.NULL : arena.allocate(scratchBytes, Buffer.ALIGNMENT);
            int status = (int) entry.invokeExact(argv, resv, scratch);
            if (status != 0) throw errors.error(status, scratch); // formatted while the scratch block holds the details
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException("native call failed", t);
        } finally {
            Reference.reachabilityFence(args);
        }
        return results;
    }
}
