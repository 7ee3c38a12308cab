package dev.tfjit.tracer;

import java.util.List;

/** What {@code Tf.clipByGlobalNorm} returns: the clipped tensors, in order, and the global norm of the originals. */
public record GlobalNormClip(List<Tensor> clipped, Tensor globalNorm) {
    public GlobalNormClip {
        clipped = List.copyOf(clipped);
    }
}
