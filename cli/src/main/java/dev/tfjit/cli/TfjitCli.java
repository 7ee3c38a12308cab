package dev.tfjit.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * {@code tfjit}: the command line. Every subcommand has {@code --help}; any failure is one line
 * on stderr naming the problem, and a non-zero exit (1 for errors, 2 for bad usage).
 * {@code tfjit generate-completion} prints a bash/zsh completion script.
 */
@Command(name = "tfjit", mixinStandardHelpOptions = true, version = "tfjit 0.1.0",
        description = "Graph compiler for Java in the spirit of tf.function + XLA.",
        subcommands = {TrainCommand.class, RunCommand.class, CompileCommand.class, RunArtifactCommand.class, ExplainCommand.class,
                CommandLine.HelpCommand.class, AutoComplete.GenerateCompletion.class})
public final class TfjitCli {
    public static void main(String[] args) throws Throwable {
        int code = run(args);
        if (RunCommand.programFailure != null) throw RunCommand.programFailure; // as 'java FILE.java' reports it
        // A program run by 'tfjit run' may have started threads: the JVM exits when they end, as it would have.
        if (code != 0 || args.length == 0 || !args[0].equals("run")) System.exit(code);
    }

    /** Runs the command line and returns its exit code (tests call this instead of {@link #main}). */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs with the given output and error streams. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new TfjitCli());
        cli.setOut(out);
        cli.setErr(err);
        // A program's arguments and the training options belong to them, not to this parser.
        for (String name : new String[] {"run", "train"}) {
            cli.getSubcommands().get(name).setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
        }
        cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
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
