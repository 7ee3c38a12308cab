package dev.tfjit.codegen.ptx;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.TensorType;
import dev.tfjit.runtime.ErrorDetails;
import dev.tfjit.runtime.cuda.GpuProgram;
import dev.tfjit.runtime.cuda.StepWalker;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.llvm.LLVM.LLVMContextRef;
import org.bytedeco.llvm.LLVM.LLVMMemoryBufferRef;
import org.bytedeco.llvm.LLVM.LLVMModuleRef;
import org.bytedeco.llvm.LLVM.LLVMTargetMachineRef;
import org.bytedeco.llvm.LLVM.LLVMTargetRef;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.bytedeco.llvm.global.LLVM.*;

/**
 * Runs a {@link GpuProgram}'s kernels on the CPU, for tests on machines without a GPU: the
 * kernels' LLVM IR (the same IR the PTX is made from) is compiled for the host with the NVPTX
 * intrinsics (thread and block indices, bar.sync, warp shuffles) bound to {@code emu.c}, which
 * runs every GPU thread of a block as an OS thread. The launch plan is followed step by step on
 * host memory by the runtime's own {@link StepWalker} (loops and branches included), so index math, block/warp cooperation, grid-stride loops (grids are cut to a
 * few blocks so that every thread loops), split reductions, epilogues and the status word are
 * all exercised. What it cannot show: timing, memory coalescing, and the PTX back end itself
 * (ptxas checks that part).
 */
final class EmulatedDevice implements AutoCloseable {
    /** Grid-stride kernels get at most this many blocks, so their loops really loop. */
    private static final long MAX_STRIDE_BLOCKS = 3;

    private final GpuProgram program;
    private final Arena arena = Arena.ofShared();
    private final MethodHandle launch;
    private final SymbolLookup library;
    private final Path dir;

    private EmulatedDevice(GpuProgram program, Path dir, Path lib) {
        this.program = program;
        this.dir = dir;
        this.library = SymbolLookup.libraryLookup(lib, arena);
        this.launch = Linker.nativeLinker().downcallHandle(library.find("emu_launch").orElseThrow(), FunctionDescriptor.of(
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    /** Whether a C compiler is here to build the emulator's runtime. */
    static boolean isAvailable() {
        try {
            Process p = new ProcessBuilder("cc", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Builds the host library for {@code compiled}: its kernels compiled for the CPU, linked with emu.c. */
    static EmulatedDevice load(PtxCompiler.Compiled compiled) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("tfjit-emu");
        Path object = dir.resolve("kernels.o"), source = dir.resolve("emu.c"), lib = dir.resolve("libemu.so");
        Files.write(object, hostObject(hostIr(compiled.ir())));
        try (InputStream in = EmulatedDevice.class.getResourceAsStream("/emu/emu.c")) {
            Files.write(source, in.readAllBytes());
        }
        Process p = new ProcessBuilder("cc", "-shared", "-fPIC", "-O1", "-o", lib.toString(), source.toString(), object.toString(),
                "-lpthread", "-lm").redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("cc failed:\n" + log);
        return new EmulatedDevice(compiled.program(), dir, lib);
    }

    /** The kernels' IR for the host: plain functions, shared memory as globals, intrinsics as emu.c calls. */
    static String hostIr(String ir) {
        StringBuilder out = new StringBuilder();
        for (String line : ir.split("\n")) {
            if (line.startsWith("target ") || line.startsWith("!")) continue;
            out.append(line).append('\n');
        }
        return out.toString()
                .replace("define ptx_kernel void", "define void")
                .replace(" addrspace(3)", "")
                .replace("@llvm.nvvm.read.ptx.sreg.tid.x", "@emu_tid_x")
                .replace("@llvm.nvvm.read.ptx.sreg.ntid.x", "@emu_ntid_x")
                .replace("@llvm.nvvm.read.ptx.sreg.ctaid.x", "@emu_ctaid_x")
                .replace("@llvm.nvvm.read.ptx.sreg.ctaid.y", "@emu_ctaid_y")
                .replace("@llvm.nvvm.read.ptx.sreg.ctaid.z", "@emu_ctaid_z")
                .replace("@llvm.nvvm.read.ptx.sreg.nctaid.x", "@emu_nctaid_x")
                .replace("@llvm.nvvm.barrier0", "@emu_barrier")
                .replace("@llvm.nvvm.shfl.sync.bfly.f32", "@emu_shfl_bfly_f32")
                .replace("@llvm.nvvm.shfl.sync.bfly.i32", "@emu_shfl_bfly_i32");
    }

    private static byte[] hostObject(String ir) {
        LLVMInitializeNativeTarget();
        LLVMInitializeNativeAsmPrinter();
        String triple = LLVMGetDefaultTargetTriple().getString();
        LLVMTargetRef target = new LLVMTargetRef();
        BytePointer error = new BytePointer();
        if (LLVMGetTargetFromTriple(new BytePointer(triple), target, error) != 0) throw new IllegalStateException(error.getString());
        LLVMTargetMachineRef tm = LLVMCreateTargetMachine(target, triple, "generic", "", LLVMCodeGenLevelDefault, LLVMRelocPIC,
                LLVMCodeModelDefault);
        LLVMContextRef ctx = LLVMContextCreate();
        try {
            String layout = LLVMCopyStringRepOfTargetData(LLVMCreateTargetDataLayout(tm)).getString();
            String text = "target datalayout = \"" + layout + "\"\ntarget triple = \"" + triple + "\"\n" + ir;
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            BytePointer buf = new BytePointer(bytes.length);
            buf.put(bytes, 0, bytes.length);
            LLVMMemoryBufferRef mb = LLVMCreateMemoryBufferWithMemoryRangeCopy(buf, bytes.length, new BytePointer("emu"));
            LLVMModuleRef m = new LLVMModuleRef();
            if (LLVMParseIRInContext(ctx, mb, m, error) != 0) throw new IllegalStateException("host IR does not parse: " + error.getString());
            if (LLVMVerifyModule(m, LLVMReturnStatusAction, error) != 0) throw new IllegalStateException("host IR invalid: " + error.getString());
            LLVMMemoryBufferRef out = new LLVMMemoryBufferRef();
            if (LLVMTargetMachineEmitToMemoryBuffer(tm, m, LLVMObjectFile, error, out) != 0) throw new IllegalStateException(error.getString());
            byte[] obj = new byte[(int) LLVMGetBufferSize(out)];
            LLVMGetBufferStart(out).get(obj);
            LLVMDisposeMemoryBuffer(out);
            LLVMDisposeModule(m);
            return obj;
        } finally {
            LLVMContextDispose(ctx);
            LLVMDisposeTargetMachine(tm);
        }
    }

    /** Runs the program on host copies of {@code args}; returns the results, or throws the error its status word names. */
    List<Buffer> run(List<Buffer> args) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            List<MemorySegment> argMem = new ArrayList<>(), resultMem = new ArrayList<>(), constMem = new ArrayList<>();
            for (Buffer b : args) {
                MemorySegment s = a.allocate(Math.max(1, b.size() * b.dtype().byteSize()), 256);
                MemorySegment.copy(b.segment(), 0, s, 0, b.size() * b.dtype().byteSize());
                argMem.add(s);
            }
            for (TensorType t : program.results()) resultMem.add(a.allocate(Math.max(1, t.shape().numElements() * t.dtype().byteSize()), 256));
            for (byte[] c : program.constants()) {
                MemorySegment s = a.allocate(Math.max(1, c.length), 256);
                MemorySegment.copy(c, 0, s, ValueLayout.JAVA_BYTE, 0, c.length);
                constMem.add(s);
            }
            MemorySegment scratch = a.allocate(program.scratchBytes(), 256);
            StepWalker.run(program.steps(), new StepWalker.Device() {
                @Override
                public void launch(GpuProgram.Launch l) {
                    try (Arena la = Arena.ofConfined()) {
                        MemorySegment params = la.allocate(ValueLayout.ADDRESS, Math.max(1, l.args().size()));
                        for (int i = 0; i < l.args().size(); i++) {
                            params.setAtIndex(ValueLayout.ADDRESS, i, place(l.args().get(i), argMem, resultMem, constMem, scratch));
                        }
                        long gx = l.gridStride() ? Math.min(l.gridX(), MAX_STRIDE_BLOCKS) : l.gridX();
                        MemorySegment fn = library.find(l.kernel()).orElseThrow(() -> new IllegalStateException("no kernel " + l.kernel()));
                        int r = (int) launch.invokeExact(fn, l.args().size(), params, (int) gx, l.gridY(), l.gridZ(), l.block());
                        if (r != 0) throw new IllegalStateException("emu_launch failed (" + r + ") for " + l.kernel());
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Throwable t) {
                        throw new IllegalStateException(t);
                    }
                }

                @Override
                public void copy(GpuProgram.Copy c) {
                    MemorySegment.copy(place(c.src(), argMem, resultMem, constMem, scratch), 0,
                            place(c.dst(), argMem, resultMem, constMem, scratch), 0, c.bytes());
                }

                @Override
                public Boolean predicate(GpuProgram.Ref p) {
                    if (scratch.get(ValueLayout.JAVA_INT, 0) != 0) return null;
                    return place(p, argMem, resultMem, constMem, scratch).get(ValueLayout.JAVA_BYTE, 0) != 0;
                }
            });
            int status = scratch.get(ValueLayout.JAVA_INT, 0);
            if (status != 0) {
                GpuProgram.ErrorSite s = program.errors().get(Integer.numberOfTrailingZeros(status));
                throw new InvalidArgumentError(ErrorDetails.format(s.message(), scratch)).in(s.op(), s.location());
            }
            List<Buffer> out = new ArrayList<>();
            for (int i = 0; i < resultMem.size(); i++) {
                TensorType t = program.results().get(i);
                Buffer b = Buffer.allocate(t.dtype(), t.shape());
                MemorySegment.copy(resultMem.get(i), 0, b.segment(), 0, t.shape().numElements() * t.dtype().byteSize());
                out.add(b);
            }
            return out;
        }
    }

    private static MemorySegment place(GpuProgram.Ref r, List<MemorySegment> args, List<MemorySegment> results,
                                       List<MemorySegment> constants, MemorySegment scratch) {
        MemorySegment base = switch (r.space()) {
            case ARG -> args.get(r.index());
            case RESULT -> results.get(r.index());
            case CONSTANT -> constants.get(r.index());
            case SCRATCH -> scratch;
        };
        return base.asSlice(r.offset());
    }

    @Override
    public void close() throws IOException {
        arena.close();
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
