package dev.tfjit.ir;

import java.util.List;

/**
 * An op's static typing: output dtypes and (possibly partial) shapes from input types and
 * attributes. Throws {@link DTypeError} or {@link ShapeError} for ill-typed uses.
 */
@FunctionalInterface
public interface TypeRule {
    List<TensorType> infer(List<TensorType> inputs, Attrs attrs, List<Block> regions);
}
