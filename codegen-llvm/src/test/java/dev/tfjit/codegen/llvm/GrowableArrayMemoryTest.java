package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.NativeMemory;
import dev.tfjit.ir.Shape;
import dev.tfjit.runtime.Executable;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The memory a compiled function's growable arrays take from the C allocator is all given back
 * by the end of each call, on success and on error, and the arrays it returns are freed once
 * Java has copied them: the C heap's allocated bytes (glibc's {@code mallinfo2}) and the pool's
 * live bytes stay flat over thousands of calls that each grow arrays to 128 KiB.
 */
class GrowableArrayMemoryTest {
    /**
     * Pushes n rows of 32 floats in place and returns them; writes row 0 of a copy that stays
     * inside, and reads row {@code at} of it (an error when out of range, after both arrays grew).
     */
    private static final String PUSH = """
            func @push(%n: i32[], %at: i32[], %v: f32[32]) -> (f32[?,32], f32[32]) {
              %zero = constant {value=dense<i32[]: 0>} : i32[]
              %one = constant {value=dense<i32[]: 1>} : i32[]
              %e = constant {value=dense<f32[0,32]: >} : f32[0,32]
              %cnt, %ta = while %zero, %e : i32[], f32[?,32] {
              ^(%i: i32[], %a: f32[?,32]):
                %c = less %i, %n : bool[]
                yield %c
              } {
              ^(%j: i32[], %s: f32[?,32]):
                %w = tensor_array_write %s, %j, %v {dynamic_size=true} : f32[?,32]
                %k = add %j, %one : i32[]
                yield %k, %w
              }
              %copy = tensor_array_write %ta, %zero, %v {dynamic_size=true} : f32[?,32]
              %r = tensor_array_read %copy, %at : f32[32]
              return %ta, %r
            }
            """;

    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("arena"), ValueLayout.JAVA_LONG.withName("ordblks"), ValueLayout.JAVA_LONG.withName("smblks"),
            ValueLayout.JAVA_LONG.withName("hblks"), ValueLayout.JAVA_LONG.withName("hblkhd"), ValueLayout.JAVA_LONG.withName("usmblks"),
            ValueLayout.JAVA_LONG.withName("fsmblks"), ValueLayout.JAVA_LONG.withName("uordblks"), ValueLayout.JAVA_LONG.withName("fordblks"),
            ValueLayout.JAVA_LONG.withName("keepcost"));

    /** Bytes the C allocator has handed out and not had back (heap blocks in use plus mmapped blocks). */
    private static long mallocated(MethodHandle mallinfo2) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment info = (MemorySegment) mallinfo2.invokeExact((java.lang.foreign.SegmentAllocator) a);
            return info.get(ValueLayout.JAVA_LONG, MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("uordblks")))
                    + info.get(ValueLayout.JAVA_LONG, MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("hblkhd")));
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Test
    void thousandsOfCallsThatGrowArraysLeaveTheCHeapAndThePoolFlat() {
        Optional<MemorySegment> symbol = Linker.nativeLinker().defaultLookup().find("mallinfo2");
        assumeTrue(symbol.isPresent(), "mallinfo2 (glibc 2.33+) is needed to read the C heap's use");
        MethodHandle mallinfo2 = Linker.nativeLinker().downcallHandle(symbol.get(), FunctionDescriptor.of(MALLINFO2));
        Executable f = Oracle.compile(PUSH);
        Buffer v = TestData.mixed(dev.tfjit.ir.DType.FLOAT32, Shape.of(32), 1);
        for (int i = 0; i < 200; i++) call(f, i, v); // compile, warm up the pool and the allocator
        NativeMemory.awaitReleases();
        NativeMemory.trim(); // the C heap then holds only what is live
        long heap = mallocated(mallinfo2), pool = NativeMemory.liveBytes();
        for (int i = 0; i < 3000; i++) call(f, i, v);
        NativeMemory.awaitReleases();
        NativeMemory.trim(); // the C heap then holds only what is live
        long heapGrowth = mallocated(mallinfo2) - heap, poolGrowth = NativeMemory.liveBytes() - pool;
        // Each call allocates two arrays of up to 128 KiB and returns one: a leak of either would be hundreds of MiB.
        assertTrue(heapGrowth < 16L << 20, "the C heap grew by " + heapGrowth + " bytes over 3000 calls");
        assertTrue(poolGrowth < 4L << 20, "the pool grew by " + poolGrowth + " bytes over 3000 calls");
    }

    /** Call {@code i} pushes 1000 rows and returns them, or every tenth call fails reading row 1000 after growing both arrays. */
    private static void call(Executable f, int i, Buffer v) {
        Buffer n = Buffer.ofInts(Shape.SCALAR, 1000);
        if (i % 10 != 0) {
            List<Buffer> out = f.run(List.of(n, Buffer.ofInts(Shape.SCALAR, 5), v));
            assertEquals(Shape.of(1000, 32), out.get(0).shape());
        } else {
            InvalidArgumentError e = assertThrows(InvalidArgumentError.class, () -> f.run(List.of(n, Buffer.ofInts(Shape.SCALAR, 1000), v)));
            assertTrue(e.getMessage().contains("Tried to read from index 1000 but array size is: 1000"), e.getMessage());
        }
    }
}
