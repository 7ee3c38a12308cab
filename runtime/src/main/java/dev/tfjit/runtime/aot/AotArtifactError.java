package dev.tfjit.runtime.aot;

import dev.tfjit.ir.TfException;

/** An artifact that cannot be loaded: missing, corrupted, from another format or another machine. */
public final class AotArtifactError extends TfException {
    public AotArtifactError(String message) { super(message); }
}
