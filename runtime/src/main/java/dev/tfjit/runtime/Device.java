package dev.tfjit.runtime;

/** Where buffers live and code runs. */
public record Device(Kind kind, int index) {
    public enum Kind { CPU, GPU }

    public static final Device CPU = new Device(Kind.CPU, 0);

    @Override
    public String toString() { return "/device:" + kind + ":" + index; }
}
