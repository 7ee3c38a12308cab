package dev.tfjit.ir;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C allocator, called directly: {@link NativeMemory} keeps its own pool of blocks and must
 * be able to free one the moment it decides to, which no {@link java.lang.foreign.Arena} that
 * can be closed from the cleaner thread offers cheaply.
 */
final class LibC {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle ALIGNED_ALLOC = downcall("aligned_alloc", FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle FREE = downcall("free", FunctionDescriptor.ofVoid(ADDRESS));

    private LibC() {}

    /** {@code aligned_alloc(alignment, bytes)}: the address, or 0 when the C heap is exhausted. */
    static long alignedAlloc(long alignment, long bytes) {
        try {
            return ((MemorySegment) ALIGNED_ALLOC.invokeExact(alignment, bytes)).address();
        } catch (Throwable t) {
            throw new IllegalStateException("aligned_alloc failed", t);
        }
    }

    static void free(long address) {
        try {
            FREE.invokeExact(MemorySegment.ofAddress(address));
        } catch (Throwable t) {
            throw new IllegalStateException("free failed", t);
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException("the C library has no " + name + "; tfjit needs a C11 libc"));
        return LINKER.downcallHandle(symbol, fd);
    }
}
