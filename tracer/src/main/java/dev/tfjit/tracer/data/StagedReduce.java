package dev.tfjit.tracer.data;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.Tf;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * {@code Dataset.reduce} inside a traced Function, as tf.function stages a loop over a dataset:
 * one {@code while} node whose body is the reduce function traced once, fed by
 * the nodes of a {@link StagedPass}, which open a fresh pass over the pipeline on every call and
 * pull its next element.
 *
 * <p>The graph calls back into the JVM per element, so such a Function runs where
 * {@code java_function} runs (the interpreter); compiling it natively or ahead of time is
 * refused, as XLA refuses tf.data ops.
 */
final class StagedReduce {
    private StagedReduce() {}

    static Object reduce(Dataset<?> in, Object initial, BiFunction<Object, Object, Object> fn) {
        Structure stateStructure = Structure.of(initial);
        List<Tensor> state = stateStructure.flatten(initial);
        int n = state.size();
        StagedPass pass = StagedPass.open(in);

        List<Tensor> vars = new ArrayList<>(pass.pull());
        vars.addAll(1, state);
        // Loop vars: [has element, state..., element components...].
        List<Tensor> out = Tf.whileLoop(v -> v.get(0), v -> {
            Object next = fn.apply(stateStructure.unflatten(v.subList(1, 1 + n)), pass.element(v.subList(1 + n, v.size())));
            if (!Structure.of(next).equals(stateStructure)) {
                throw new InvalidArgumentError("Dataset.reduce: the reduce function returned a state of structure "
                        + Structure.of(next) + " but the initial state has structure " + stateStructure);
            }
            List<Tensor> nextState = stateStructure.flatten(next);
            for (int i = 0; i < n; i++) {
                if (nextState.get(i).dtype() != state.get(i).dtype()) {
                    throw new InvalidArgumentError("Dataset.reduce: state component " + i + " changed dtype from "
                            + state.get(i).dtype() + " to " + nextState.get(i).dtype());
                }
            }
            List<Tensor> body = new ArrayList<>(pass.pull());
            body.addAll(1, nextState);
            return body;
        }, vars);
        return stateStructure.unflatten(out.subList(1, 1 + n));
    }
}
