package dev.tfjit.runtime;

/**
 * A device's memory as its pool sees it, like TensorFlow's
 * {@code tf.config.experimental.get_memory_info}: bytes held by live values, bytes kept in the
 * pool for reuse (already allocated from the device, free to hand out), and the most bytes ever
 * in use at once.
 */
public record DeviceMemoryInfo(long inUseBytes, long cachedBytes, long peakBytes) {}
