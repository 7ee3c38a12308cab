package dev.tfjit.tracer.data;

/**
 * Pipeline-wide choices, like {@code tf.data.Options}.
 *
 * @param deterministic when false, parallel map may hand out elements in the order they finish
 *                      rather than input order: faster when element costs vary
 */
public record Options(boolean deterministic) {
    public static final Options DEFAULT = new Options(true);

    public Options withDeterministic(boolean d) { return new Options(d); }
}
