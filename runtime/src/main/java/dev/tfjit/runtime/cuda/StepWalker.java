package dev.tfjit.runtime.cuda;

import java.util.List;

/**
 * Runs a {@link GpuProgram}'s steps in order on some device: launches and copies are handed to
 * the device as they come, and control flow is decided on the host, as XLA's GPU runtime does
 * it: a {@code while} runs its condition's steps, reads the one predicate back and runs the body
 * while it is true; a {@code cond} reads its predicate and runs one branch. Shared by the CUDA
 * runtime ({@link GpuExecutable}) and the CPU emulation the tests use, so that both follow one
 * definition of what a program means.
 */
public final class StepWalker {
    private StepWalker() {}

    /** What a device does for the walker. */
    public interface Device {
        void launch(GpuProgram.Launch launch);

        void copy(GpuProgram.Copy copy);

        /**
         * Waits for the steps queued so far and reads the {@code bool} at {@code predicate}; null
         * when a kernel has set an error bit in the status word, which ends the run (later steps
         * would compute from the substituted values of a failed op, and a loop might never end).
         */
        Boolean predicate(GpuProgram.Ref predicate);
    }

    /** Runs {@code steps}; false when a predicate read found an error and the run stopped early. */
    public static boolean run(List<GpuProgram.Step> steps, Device device) {
        for (GpuProgram.Step s : steps) {
            switch (s) {
                case GpuProgram.Launch l -> device.launch(l);
                case GpuProgram.Copy c -> {
                    if (c.bytes() > 0) device.copy(c);
                }
                case GpuProgram.While w -> {
                    while (true) {
                        if (!run(w.cond(), device)) return false;
                        Boolean go = device.predicate(w.predicate());
                        if (go == null) return false;
                        if (!go) break;
                        if (!run(w.body(), device)) return false;
                    }
                }
                case GpuProgram.Cond c -> {
                    Boolean which = device.predicate(c.predicate());
                    if (which == null || !run(which ? c.then() : c.otherwise(), device)) return false;
                }
            }
        }
        return true;
    }
}
