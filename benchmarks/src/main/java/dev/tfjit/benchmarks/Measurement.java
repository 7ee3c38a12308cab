package dev.tfjit.benchmarks;

/**
 * One benchmark's result as the report shows it: JMH's average time per call and its error
 * (99.9% half-width), in {@code unit}, how many bytes one call moves (0 when the figure is a
 * latency, not a bandwidth), and the Java heap bytes one call allocates (NaN when unknown).
 */
record Measurement(String benchmark, double score, double error, String unit, long bytesPerCall, double heapBytesPerCall) {
    /** Seconds per call, whatever unit JMH reported. */
    double seconds() {
        return score * switch (unit) {
            case "ns/op" -> 1e-9;
            case "us/op" -> 1e-6;
            case "ms/op" -> 1e-3;
            case "s/op" -> 1;
            default -> throw new IllegalStateException("unexpected JMH unit " + unit);
        };
    }

    /** Decimal gigabytes per second, as STREAM reports bandwidth. */
    double gigabytesPerSecond() { return bytesPerCall / seconds() / 1e9; }

    /** The method name without its class: {@code tfAdd}. */
    String method() { return benchmark.substring(benchmark.lastIndexOf('.') + 1); }
}
