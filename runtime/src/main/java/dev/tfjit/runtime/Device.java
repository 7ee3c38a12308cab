package dev.tfjit.runtime;

/** Where buffers live and code runs. */
public record Device(Kind kind, int index) {
    public enum Kind { CPU, GPU }

    public static final Device CPU = new Device(Kind.CPU, 0);

    /**
     * A device name as TensorFlow accepts it: {@code gpu:0}, {@code GPU:1}, {@code /gpu:0},
     * {@code /device:GPU:0}, {@code cpu} or {@code /device:CPU:0}; {@code gpu} alone is GPU 0.
     */
    public static Device parse(String name) {
        String s = name.strip();
        if (s.startsWith("/device:")) s = s.substring("/device:".length());
        else if (s.startsWith("/")) s = s.substring(1);
        String kind = s, index = "0";
        int colon = s.indexOf(':');
        if (colon >= 0) {
            kind = s.substring(0, colon);
            index = s.substring(colon + 1);
        }
        Kind k = switch (kind.toLowerCase(java.util.Locale.ROOT)) {
            case "cpu" -> Kind.CPU;
            case "gpu" -> Kind.GPU;
            default -> null;
        };
        if (k == null || !index.matches("[0-9]{1,4}") || (k == Kind.CPU && !index.equals("0"))) {
            throw new dev.tfjit.ir.InvalidArgumentError("invalid device '" + name + "': use cpu, gpu:N, /gpu:N or /device:GPU:N");
        }
        return new Device(k, Integer.parseInt(index));
    }

    @Override
    public String toString() { return "/device:" + kind + ":" + index; }
}
