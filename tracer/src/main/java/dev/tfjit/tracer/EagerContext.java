package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs each op at once with its reference kernel. The type rule runs first, so eager mode
 * reports exactly the errors tracing would, named with the op and the user's source line.
 */
final class EagerContext implements ExecutionContext {
    static final EagerContext INSTANCE = new EagerContext();

    private EagerContext() {}

    @Override
    public List<Tensor> execute(OpDef op, Attrs attrs, List<Tensor> inputs) {
        int n = inputs.size();
        List<TensorType> types = new ArrayList<>(n);
        List<Buffer> buffers = new ArrayList<>(n);
        for (Tensor t : inputs) {
            buffers.add(t.buffer());
            types.add(t.type());
        }
        List<Buffer> out;
        try {
            op.inferTypes(types, attrs);
            out = op.evaluate(buffers, attrs);
        } catch (TfException e) {
            throw e.in(op.name(), SourceLocation.ofCaller());
        }
        if (out.size() == 1) return List.of(new Tensor(out.get(0)));
        List<Tensor> result = new ArrayList<>(out.size());
        for (Buffer b : out) result.add(new Tensor(b));
        return result;
    }

    @Override
    public Tensor readVariable(Variable v) { return new Tensor(v.buffer()); }

    @Override
    public void assignVariable(Variable v, Tensor value) { v.store(value.buffer()); }

    @Override
    public void onVariableCreated(Variable v) {}

    @Override
    public List<Tensor> whileLoop(Function<List<Tensor>, Tensor> cond, Function<List<Tensor>, List<Tensor>> body,
                                  List<Tensor> loopVars, List<Shape> shapeInvariants) {
        List<Tensor> vars = loopVars;
        while (predicate(cond.apply(vars), "Tf.whileLoop cond")) {
            List<Tensor> next = body.apply(vars);
            if (next.size() != vars.size()) {
                throw new TfException("Tf.whileLoop: the body returned " + next.size() + " values but there are " + vars.size() + " loop vars");
            }
            vars = next;
        }
        return vars;
    }

    @Override
    public List<Tensor> cond(Tensor pred, Supplier<List<Tensor>> thenBranch, Supplier<List<Tensor>> elseBranch) {
        return predicate(pred, "Tf.cond predicate") ? thenBranch.get() : elseBranch.get();
    }

    private static boolean predicate(Tensor p, String what) {
        if (p.dtype() != DType.BOOL || p.rank() != 0) {
            throw new TfException(what + " must be a bool scalar, got " + p.dtype() + " of shape " + p.shape());
        }
        return p.booleanValue();
    }
}
