package dev.tfjit.ir;

import java.util.List;

/**
 * An op's reference semantics on concrete buffers. This is the oracle every compiled backend is
 * tested against, so it favours clarity and exactness over speed (but loops stay primitive).
 */
@FunctionalInterface
public interface Kernel {
    List<Buffer> run(List<Buffer> inputs, Attrs attrs, RegionRunner regions);

    /** Runs the regions of a structured op; plain ops ignore it. */
    @FunctionalInterface
    interface RegionRunner {
        RegionRunner NONE = (i, args) -> { throw new IllegalStateException("op has no regions"); };

        List<Buffer> run(int region, List<Buffer> args);
    }
}
