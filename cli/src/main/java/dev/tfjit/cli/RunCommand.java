package dev.tfjit.cli;

import dev.tfjit.ir.TfException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tfjit run FILE.java [args...]}: runs a single-file program in this JVM with the JDK's
 * own source launcher, exactly as {@code java FILE.java} would (its class loader serves the
 * compiled bytes, which AutoGraph reads), with tfjit on the class path. An exception thrown by
 * the program propagates out of {@code main} unchanged, so it prints and exits as before.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a single-file Java program with tfjit on the class path, as 'java FILE.java' does. Everything "
                + "after FILE.java is the program's arguments.")
final class RunCommand implements Callable<Integer> {
    /** The launcher's class, in the jdk.compiler module; the ./tfjit script exports its package to us. */
    static final String LAUNCHER = "com.sun.tools.javac.launcher.SourceLauncher";
    static final String EXPORT_FLAG = "--add-exports jdk.compiler/com.sun.tools.javac.launcher=ALL-UNNAMED";

    @Parameters(index = "0", paramLabel = "FILE.java", description = "The program's source file.")
    Path file;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "The program's arguments.")
    List<String> args = new ArrayList<>();

    /** What the program threw, for {@link TfjitCli#main} to rethrow once picocli is done. */
    static Throwable programFailure;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(file)) throw new TfException("no such file: " + file);
        Method main;
        try {
            main = Class.forName(LAUNCHER).getMethod("main", String[].class);
        } catch (ClassNotFoundException e) {
            throw new TfException("this JVM has no jdk.compiler module (" + LAUNCHER + "): run tfjit on a JDK, not a JRE");
        }
        List<String> all = new ArrayList<>();
        all.add(file.toString());
        all.addAll(args);
        try {
            main.invoke(null, (Object) all.toArray(String[]::new));
        } catch (IllegalAccessException e) {
            throw new TfException("tfjit run needs '" + EXPORT_FLAG + "' on the java command line (./tfjit passes it)");
        } catch (InvocationTargetException e) {
            programFailure = e.getCause();
            return 1;
        }
        return 0;
    }
}
