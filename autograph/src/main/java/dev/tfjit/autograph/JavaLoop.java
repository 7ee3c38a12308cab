package dev.tfjit.autograph;

/** A loop of converted code; its iterations are counted while tracing (see {@link UnrollWatch}). */
record JavaLoop(ConvertedMethod method, int line) {}
