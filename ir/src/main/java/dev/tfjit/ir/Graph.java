package dev.tfjit.ir;

import java.util.List;

/** A function in SSA form: a name and a body block whose params are the arguments. */
public record Graph(String name, Block body) {
    public List<Value> params() { return body.params(); }

    public List<Value> results() { return body.results(); }

    public List<TensorType> paramTypes() { return body.paramTypes(); }

    public List<TensorType> resultTypes() { return body.resultTypes(); }

    /** The IR text; {@link IrParser#parse} reads it back to an equal graph. */
    @Override
    public String toString() { return IrPrinter.print(this); }
}
