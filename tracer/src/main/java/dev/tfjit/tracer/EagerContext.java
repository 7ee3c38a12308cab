package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;

import java.util.ArrayList;
import java.util.List;

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
}
