package dev.tfjit.codegen.llvm;

import dev.tfjit.runtime.aot.AotMetadata;

import java.nio.file.Path;

/**
 * The hook for GPU targets ({@code --target sm_80}, {@code sm_90}): a GPU backend (the
 * codegen-ptx module) implements this and registers it with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.tfjit.codegen.llvm.GpuAotCompiler}); {@link AotCompiler} hands it
 * every request whose target is a GPU. Until one is on the class path such a request is an
 * error saying so.
 */
public interface GpuAotCompiler {
    /** Whether this compiler produces code for {@code target} (e.g. {@code sm_90}). */
    boolean handles(AotTarget target);

    /** Compiles {@code request} into {@code outDir} and returns the metadata written there. */
    AotMetadata compile(AotRequest request, Path outDir);
}
