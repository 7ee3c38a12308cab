package dev.tfjit.ir;

/** Where in the user's Java source a value was made, printed as {@code Model.java:42}. */
public record SourceLocation(String file, int line) {
    public static final SourceLocation UNKNOWN = new SourceLocation("?", 0);

    // Hidden frames too: code converted by AutoGraph runs in hidden classes, with the user's file and lines.
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.SHOW_HIDDEN_FRAMES);

    /**
     * The first stack frame outside tfjit's own packages: the user's line that called the op.
     * Costs a stack walk, so callers take it only when they need it (errors, tracing).
     */
    public static SourceLocation ofCaller() {
        return WALKER.walk(frames -> frames
                .filter(f -> isUserFrame(f.getClassName()))
                .findFirst()
                .map(f -> new SourceLocation(f.getFileName() == null ? f.getClassName() : f.getFileName(), f.getLineNumber()))
                .orElse(UNKNOWN));
    }

    private static boolean isUserFrame(String className) {
        if (className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")) return false;
        if (className.contains("$$Lambda")) return false; // a lambda's proxy: no source line of its own
        if (!className.startsWith("dev.tfjit.")) return true;
        // tfjit's own tests and examples are users of the library too.
        String simple = className.substring(className.lastIndexOf('.') + 1);
        int nested = simple.indexOf('$');
        if (nested >= 0) simple = simple.substring(0, nested);
        return simple.endsWith("Test") || simple.endsWith("Tests") || className.startsWith("dev.tfjit.examples.");
    }

    @Override
    public String toString() { return file + ":" + line; }
}
