package dev.tfjit.autograph.agent;

import java.lang.instrument.Instrumentation;

/**
 * The {@code -javaagent} entry point ({@code Premain-Class} of the tfjit-autograph jar, which
 * {@code ./tfjit run} passes): from then on, classes loaded with {@code @TfFunction} methods
 * have those methods' bodies replaced by a call of their function.
 */
public final class TfjitAgent {
    private static volatile boolean installed;

    private TfjitAgent() {}

    public static void premain(String args, Instrumentation inst) { install(inst); }

    /** For an agent attached to a running JVM: classes loaded after it are rewritten. */
    public static void agentmain(String args, Instrumentation inst) { install(inst); }

    private static synchronized void install(Instrumentation inst) {
        if (installed) return;
        inst.addTransformer(new TfFunctionTransformer(), false);
        installed = true;
    }

    /** Whether the agent runs in this JVM: calls of {@code @TfFunction} methods then go through their functions. */
    public static boolean isInstalled() { return installed; }
}
