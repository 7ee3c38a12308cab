package dev.tfjit.tracer.data;

import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.ConcreteFunction;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;

import java.util.List;

/**
 * A user function over dataset elements, traced once into a graph for the input element spec,
 * as tf.data traces the functions given to map and filter. Its Java side effects run once, while
 * tracing; every element then runs the compiled graph. Thread-safe, so parallel map shares it.
 */
final class TracedFunction {
    private final ConcreteFunction compiled;
    private final ElementSpec outputSpec;

    private TracedFunction(ConcreteFunction compiled, ElementSpec outputSpec) {
        this.compiled = compiled;
        this.outputSpec = outputSpec;
    }

    static TracedFunction trace(String name, ElementSpec input, java.util.function.Function<Object, Object> fn) {
        Structure[] outStructure = new Structure[1];
        Function f = Function.of((List<Tensor> flat) -> {
            Object result = fn.apply(input.structure().unflatten(flat));
            if (result instanceof Tensor[] arr) result = List.of(arr);
            outStructure[0] = Structure.of(result);
            return outStructure[0].flatten(result);
        }).named(name);
        ConcreteFunction cf = f.concrete((Object) input.components());
        List<TensorSpec> out = cf.graph().resultTypes().stream().map(t -> new TensorSpec(t.dtype(), t.shape())).toList();
        if (out.size() != outStructure[0].size()) {
            throw new TfException(name + ": the traced function returned " + out.size() + " tensors for a structure of "
                    + outStructure[0].size());
        }
        return new TracedFunction(cf, new ElementSpec(outStructure[0], out));
    }

    ElementSpec outputSpec() { return outputSpec; }

    List<Tensor> call(List<Tensor> flat) { return compiled.callFlat(flat); }
}
