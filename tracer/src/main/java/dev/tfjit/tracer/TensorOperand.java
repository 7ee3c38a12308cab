package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.GradientBuilder;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Operand;
import dev.tfjit.ir.TensorType;

import java.util.ArrayList;
import java.util.List;

/** A tensor handed to a gradient rule; the rule's ops go through {@link Tf#apply}, so they run or are traced like user ops. */
record TensorOperand(Tensor tensor) implements Operand {
    @Override
    public TensorType type() { return tensor.type(); }

    static Tensor unwrap(Operand o) { return o == null ? null : ((TensorOperand) o).tensor(); }

    static List<Operand> wrap(List<Tensor> ts) {
        List<Operand> out = new ArrayList<>(ts.size());
        for (Tensor t : ts) out.add(new TensorOperand(t));
        return out;
    }

    /** Emits a rule's ops in the current execution context. */
    static final GradientBuilder BUILDER = new GradientBuilder() {
        @Override
        public List<Operand> emit(OpDef op, Attrs attrs, List<Operand> inputs) {
            Tensor[] in = new Tensor[inputs.size()];
            for (int i = 0; i < in.length; i++) in[i] = unwrap(inputs.get(i));
            return wrap(Tf.apply(op, attrs, in));
        }
    };
}
