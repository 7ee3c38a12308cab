package dev.tfjit.ir.kernels;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;

/** TensorFlow's reshape rule: one {@code -1} is inferred, and zero dims get TF's special treatment. */
public final class Reshape {
    private Reshape() {}

    /**
     * The shape {@code requested} means for an input of shape {@code input} (which may have
     * unknown dims: then a {@code -1} stays unknown). When both shapes contain a zero dim, TF
     * infers the {@code -1} from the non-zero input dims ({@code [0,3]} to {@code [-1,0]} is
     * {@code [3,0]}) instead of failing on 0/0.
     */
    public static Shape resolve(long[] requested, Shape input) {
        int[] dims = new int[requested.length];
        long product = 1;
        int unknownIndex = -1;
        boolean sizesHaveZero = false;
        for (int d = 0; d < requested.length; d++) {
            long size = requested[d];
            if (size == -1) {
                if (unknownIndex != -1) {
                    throw new InvalidArgumentError("Only one input size may be -1, not both " + unknownIndex + " and " + d);
                }
                unknownIndex = d;
                dims[d] = 1;
            } else if (size < 0) {
                throw new InvalidArgumentError("Size " + d + " must be non-negative, not " + size);
            } else if (size > Integer.MAX_VALUE) {
                throw new InvalidArgumentError("Size " + d + " is too large: " + size);
            } else {
                dims[d] = (int) size;
                if (size == 0) sizesHaveZero = true;
                else product = Math.multiplyExact(product, size);
            }
        }
        if (!input.isFullyKnown()) {
            if (unknownIndex >= 0) dims[unknownIndex] = Shape.UNKNOWN;
            return Shape.of(dims);
        }
        long inputElements = input.numElements();
        if (unknownIndex != -1) {
            long counted = 1;
            boolean inputHasZero = false;
            for (int d : input.dims()) {
                if (d > 0 || !sizesHaveZero) counted *= d;
                else inputHasZero = true;
            }
            long missing = product == 0 ? 0 : counted / product;
            if (!inputHasZero && product * missing != counted) {
                throw new InvalidArgumentError("Input to reshape is a tensor with " + inputElements
                        + " values, but the requested shape requires a multiple of " + product);
            }
            dims[unknownIndex] = Math.toIntExact(missing);
        }
        Shape out = Shape.of(dims);
        if (out.numElements() != inputElements) {
            throw new InvalidArgumentError("Input to reshape is a tensor with " + inputElements
                    + " values, but the requested shape has " + out.numElements());
        }
        return out;
    }
}
