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
import java.util.Arrays;
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
        dev.tfjit.runtime.Device placed = DevicePlacement.deviceFor(op, inputs);
        if (placed != null) return DevicePlacement.execute(op, attrs, inputs, placed);
        List<TensorType> types;
        List<Buffer> buffers;
        // Most ops take one or two inputs; List.of for those is one small object, not a list and its array.
        switch (inputs.size()) {
            case 0 -> {
                types = List.of();
                buffers = List.of();
            }
            case 1 -> {
                Tensor x = inputs.get(0);
                types = List.of(x.type());
                buffers = List.of(x.buffer());
            }
            case 2 -> {
                Tensor x = inputs.get(0), y = inputs.get(1);
                types = List.of(x.type(), y.type());
                buffers = List.of(x.buffer(), y.buffer());
            }
            default -> {
                TensorType[] t = new TensorType[inputs.size()];
                Buffer[] b = new Buffer[inputs.size()];
                for (int i = 0; i < t.length; i++) {
                    t[i] = inputs.get(i).type();
                    b[i] = inputs.get(i).buffer();
                }
                types = Arrays.asList(t);
                buffers = Arrays.asList(b);
            }
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
