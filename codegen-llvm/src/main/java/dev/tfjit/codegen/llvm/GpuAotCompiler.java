package dev.tfjit.codegen.llvm;

import dev.tfjit.runtime.aot.GpuAotMetadata;

import java.nio.file.Path;

/**
 * The hook for GPU targets ({@code --target sm_80}, {@code sm_90}): a GPU backend (the
 * codegen-ptx module) implements this and registers it with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.tfjit.codegen.llvm.GpuAotCompiler}); {@link AotCompiler#compileGpu}
 * hands it every request whose target is a GPU. Without one on the class path such a request is
 * an error saying so. The artifact it writes is described by a {@link GpuAotMetadata} and runs
 * with the runtime module alone ({@code dev.tfjit.runtime.aot.GpuAotFunction}).
 */
public interface GpuAotCompiler {
    /** Whether this compiler produces code for {@code target} (e.g. {@code sm_90}). */
    boolean handles(AotTarget target);

    /** Compiles {@code request} into {@code outDir} and returns the metadata written there. */
    GpuAotMetadata compile(AotRequest request, Path outDir);
}
