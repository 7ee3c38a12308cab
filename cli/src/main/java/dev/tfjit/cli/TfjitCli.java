package dev.tfjit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code tfjit}: the command line. Every subcommand has {@code --help}; any failure is one line
 * on stderr naming the problem, and a non-zero exit (1 for errors, 2 for bad usage).
 */
@Command(name = "tfjit", mixinStandardHelpOptions = true, version = "tfjit 0.1.0",
        description = "Graph compiler for Java in the spirit of tf.function + XLA.",
        subcommands = {CompileCommand.class, RunArtifactCommand.class, CommandLine.HelpCommand.class})
public final class TfjitCli {
    public static void main(String[] args) { System.exit(run(args)); }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs with the given output and error streams. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new TfjitCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("tfjit " + cmd.getCommandName() + ": " + oneLine(e));
            cmd.getErr().flush();
            return 1;
        });
        return cli.execute(args);
    }

    /** The message a user acts on; the first line only (the IR dump of a compiler bug goes to --verbose someday). */
    private static String oneLine(Throwable e) {
        Throwable t = e;
        while (t.getMessage() == null && t.getCause() != null) t = t.getCause();
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
