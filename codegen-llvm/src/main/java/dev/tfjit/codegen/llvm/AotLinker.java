package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.TfException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Links an artifact's objects and its C glue into a shared library with the system C compiler
 * ({@code cc -shared}): libm (exp, log, ...), pthreads (threaded matmul) and libdl (the glue's
 * symbol lookup), a non-executable stack (some loaders refuse anything else), and the JDK's
 * {@code jni.h} for the glue.
 */
final class AotLinker {
    private AotLinker() {}

    static void link(List<byte[]> objects, String glueSource, Path library) throws IOException {
        Path jdkInclude = Path.of(System.getProperty("java.home"), "include");
        if (!Files.isRegularFile(jdkInclude.resolve("jni.h"))) {
            throw new TfException("tfjit compile needs a full JDK (its include/jni.h for the artifact's JNI glue); "
                    + System.getProperty("java.home") + " has none");
        }
        Path work = Files.createTempDirectory("tfjit-aot");
        try {
            List<String> cmd = new ArrayList<>(List.of("cc", "-shared", "-fPIC", "-O2", "-std=c11", "-Wall", "-Werror",
                    "-Wl,-z,noexecstack", "-I" + jdkInclude, "-I" + jdkInclude.resolve("linux"), "-o", library.toString()));
            for (int i = 0; i < objects.size(); i++) {
                Path o = work.resolve("entry" + i + ".o");
                Files.write(o, objects.get(i));
                cmd.add(o.toString());
            }
            Path glue = work.resolve("glue.c");
            Files.writeString(glue, glueSource);
            cmd.add(glue.toString());
            cmd.addAll(List.of("-lm", "-lpthread", "-ldl"));
            Path log = work.resolve("cc.log");
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            } catch (IOException e) {
                throw new TfException("tfjit compile needs a C compiler ('cc', e.g. gcc) to link " + library.getFileName() + ": "
                        + e.getMessage());
            }
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new TfException("cc -shared did not finish in 120 s linking " + library);
            }
            if (p.exitValue() != 0) {
                throw new TfException("cc -shared failed (exit " + p.exitValue() + ") linking " + library + ": "
                        + Files.readString(log).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TfException("interrupted while linking " + library, e);
        } finally {
            try (var files = Files.list(work)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(work);
        }
    }
}
