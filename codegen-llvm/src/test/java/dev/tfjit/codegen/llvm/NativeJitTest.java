package dev.tfjit.codegen.llvm;

import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static org.junit.jupiter.api.Assertions.*;

/** The JIT compiles IR text for the host and the result is callable through FFM. */
class NativeJitTest {
    @Test
    void compiledFunctionIsCallable() throws Throwable {
        NativeJit jit = NativeJit.get();
        String ir = jit.moduleHeader() + """
                declare double @exp(double)
                define i32 @smoke_add(i32 %a, i32 %b) {
                  %c = add i32 %a, %b
                  ret i32 %c
                }
                define double @smoke_exp(double %a) {
                  %c = call double @exp(double %a)
                  ret double %c
                }
                """;
        NativeJit.Compiled c = jit.compile(ir, "smoke_add", true);
        MethodHandle h = Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(c.address()),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        assertEquals(5, (int) h.invokeExact(2, 3));
        assertTrue(c.stages().assembly().contains("smoke_add"));
    }

    @Test
    void invalidIrIsAnExceptionNotACrash() {
        NativeJit jit = NativeJit.get();
        assertThrows(IllegalStateException.class, () -> jit.compile(jit.moduleHeader() + "define i32 @bad( {", "bad", false));
        assertThrows(IllegalStateException.class, () -> jit.compile(jit.moduleHeader()
                + "define i32 @bad2() {\n  ret i64 0\n}\n", "bad2", false));
    }
}
