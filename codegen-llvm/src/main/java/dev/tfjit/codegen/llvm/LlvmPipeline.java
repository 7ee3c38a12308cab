package dev.tfjit.codegen.llvm;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMErrorRef;
import org.bytedeco.llvm.LLVM.LLVMMemoryBufferRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMPassBuilderOptionsRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;
import org.bytedeco.llvm.LLVM.LLVMTargetRef;

import java.nio.charset.StandardCharsets;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * One module's way through LLVM, the same for every target (the host CPU's JIT and AOT objects,
 * NVPTX's PTX): IR text parsed into a context, verified before any pass (a native error would
 * kill the JVM; a parse or verifier error is a message), the O3 pipeline for a target machine,
 * then the machine's assembly and/or object file, in memory. Contexts and machines are not
 * thread-safe: callers give each thread its own.
 */
public final class LlvmPipeline {
    private LlvmPipeline() {}

    /** What one run produced; fields not asked for are null. */
    public record Output(String optimizedIr, String assembly, byte[] object) {}

    /** A target machine for {@code triple} and {@code cpu}, at LLVM's most aggressive code generation level. */
    public static LLVMTargetMachineRef targetMachine(String triple, String cpu, String features, int relocation, int codeModel) {
        LLVMTargetRef target = new LLVMTargetRef();
        BytePointer error = new BytePointer();
        if (LLVMGetTargetFromTriple(new BytePointer(triple), target, error) != 0) {
            throw new IllegalStateException("LLVM has no target for " + triple + ": " + takeMessage(error));
        }
        return LLVMCreateTargetMachine(target, triple, cpu, features, LLVMCodeGenLevelAggressive, relocation, codeModel);
    }

    /**
     * Parses, verifies and optimizes {@code ir} (named {@code name} in LLVM's messages), then
     * emits what is asked for: the optimized IR text, the assembly, the object file.
     */
    public static Output compile(LLVMContextRef context, LLVMTargetMachineRef machine, String ir, String name, boolean optimizedIr,
                                 boolean assembly, boolean object) {
        byte[] bytes = ir.getBytes(StandardCharsets.UTF_8);
        BytePointer text = new BytePointer(bytes.length);
        text.put(bytes, 0, bytes.length);
        LLVMMemoryBufferRef source = LLVMCreateMemoryBufferWithMemoryRangeCopy(text, bytes.length, new BytePointer(name));
        text.close();
        LLVMModuleRef module = new LLVMModuleRef();
        BytePointer error = new BytePointer();
        if (LLVMParseIRInContext(context, source, module, error) != 0) { // the buffer is consumed either way
            throw new IllegalStateException("generated LLVM IR does not parse (a tfjit bug): " + takeMessage(error) + "\n" + ir);
        }
        try {
            if (LLVMVerifyModule(module, LLVMReturnStatusAction, error) != 0) {
                throw new IllegalStateException("generated LLVM IR is invalid (a tfjit bug): " + takeMessage(error) + "\n" + ir);
            }
            LLVMPassBuilderOptionsRef options = LLVMCreatePassBuilderOptions();
            try {
                check(LLVMRunPasses(module, "default<O3>", machine, options), "running the O3 pipeline");
            } finally {
                LLVMDisposePassBuilderOptions(options);
            }
            String optimized = optimizedIr ? takeMessage(LLVMPrintModuleToString(module)) : null;
            String asm = null;
            if (assembly) {
                String s = new String(emit(machine, module, LLVMAssemblyFile), StandardCharsets.UTF_8);
                int nul = s.indexOf('\0'); // some printers end the text with a NUL
                asm = nul >= 0 ? s.substring(0, nul) : s;
            }
            return new Output(optimized, asm, object ? emit(machine, module, LLVMObjectFile) : null);
        } finally {
            LLVMDisposeModule(module);
        }
    }

    private static byte[] emit(LLVMTargetMachineRef machine, LLVMModuleRef module, int kind) {
        LLVMMemoryBufferRef buf = new LLVMMemoryBufferRef();
        BytePointer error = new BytePointer();
        if (LLVMTargetMachineEmitToMemoryBuffer(machine, module, kind, error, buf) != 0) {
            throw new IllegalStateException("LLVM code generation failed: " + takeMessage(error));
        }
        BytePointer start = LLVMGetBufferStart(buf);
        byte[] out = new byte[(int) LLVMGetBufferSize(buf)];
        start.get(out);
        LLVMDisposeMemoryBuffer(buf);
        return out;
    }

    /** Throws when an LLVM call returned an error. */
    public static void check(LLVMErrorRef err, String what) {
        if (err != null && !err.isNull()) {
            BytePointer msg = LLVMGetErrorMessage(err);
            String s = msg.getString();
            LLVMDisposeErrorMessage(msg);
            throw new IllegalStateException("LLVM failed " + what + ": " + s);
        }
    }

    /** Reads and frees a message LLVM allocated. */
    public static String takeMessage(BytePointer p) {
        if (p == null || p.isNull()) return "";
        String s = p.getString();
        LLVMDisposeMessage(p);
        return s;
    }
}
