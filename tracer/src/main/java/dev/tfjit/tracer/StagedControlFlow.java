package dev.tfjit.tracer;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.Value;
import dev.tfjit.ir.ops.ControlFlowOps;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Stages {@code Tf.whileLoop} and {@code Tf.cond} as {@code while}/{@code cond} nodes while
 * tracing. Variables assigned inside a body or branch are threaded through as extra loop values
 * or branch results. Which variables those are is known only after tracing the body, so a body
 * that assigns a variable not yet threaded is traced again with it (its Java code runs twice at
 * trace time, as TensorFlow may also retrace bodies).
 */
final class StagedControlFlow {
    private final TraceContext trace;

    StagedControlFlow(TraceContext trace) { this.trace = trace; }

    List<Tensor> whileLoop(Function<List<Tensor>, Tensor> cond, Function<List<Tensor>, List<Tensor>> body,
                           List<Tensor> loopVars, List<Shape> shapeInvariants) {
        SourceLocation loc = SourceLocation.ofCaller();
        int n = loopVars.size();
        List<TensorType> userTypes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Tensor t = loopVars.get(i);
            Shape s = shapeInvariants == null || shapeInvariants.get(i) == null ? t.shape() : shapeInvariants.get(i);
            userTypes.add(new TensorType(t.dtype(), s));
        }
        List<Variable> threaded = new ArrayList<>();
        while (true) {
            List<TensorType> types = new ArrayList<>(userTypes);
            for (Variable v : threaded) types.add(variableType(v));
            TraceContext.Region c = trace.region(types, params -> {
                bind(threaded, params.subList(n, params.size()));
                Tensor p = cond.apply(params.subList(0, n));
                if (p.dtype() != DType.BOOL || (p.shape().hasRank() && p.rank() != 0)) {
                    throw new TfException("Tf.whileLoop: cond must return a bool scalar, got " + p.dtype() + " of shape " + p.shape()
                            + " (at " + loc + ")");
                }
                return List.of(p);
            });
            if (!c.assigned().isEmpty()) {
                throw new TfException("Tf.whileLoop: cond must not assign variables, but it assigns " + names(c.assigned()) + " (at " + loc + ")");
            }
            TraceContext.Region b = trace.region(types, params -> {
                bind(threaded, params.subList(n, params.size()));
                List<Tensor> next = body.apply(params.subList(0, n));
                if (next.size() != n) {
                    throw new TfException("Tf.whileLoop: the body returned " + next.size() + " values but there are " + n + " loop vars (at " + loc + ")");
                }
                List<Tensor> results = new ArrayList<>(next);
                for (Variable v : threaded) results.add(v.read());
                return results;
            });
            Set<Variable> missing = new LinkedHashSet<>(b.assigned());
            threaded.forEach(missing::remove);
            if (!missing.isEmpty()) {
                threaded.addAll(missing);
                continue;
            }
            List<Value> inputs = new ArrayList<>();
            for (Tensor t : loopVars) inputs.add(trace.valueOf(t));
            for (Variable v : threaded) inputs.add(trace.valueOf(v.read()));
            List<Tensor> out = trace.addStructured(ControlFlowOps.WHILE, inputs, List.of(c.block(), b.block()), loc);
            writeBack(threaded, out.subList(n, out.size()));
            return out.subList(0, n);
        }
    }

    List<Tensor> cond(Tensor pred, Supplier<List<Tensor>> thenBranch, Supplier<List<Tensor>> elseBranch) {
        SourceLocation loc = SourceLocation.ofCaller();
        if (pred.dtype() != DType.BOOL || (pred.shape().hasRank() && pred.rank() != 0)) {
            throw new TfException("Tf.cond: the predicate must be a bool scalar, got " + pred.dtype() + " of shape " + pred.shape()
                    + " (at " + loc + ")");
        }
        List<Variable> threaded = new ArrayList<>();
        while (true) {
            List<Variable> vars = List.copyOf(threaded);
            TraceContext.Region t = trace.region(List.of(), p -> withVariables(thenBranch.get(), vars));
            TraceContext.Region e = trace.region(List.of(), p -> withVariables(elseBranch.get(), vars));
            Set<Variable> missing = new LinkedHashSet<>(t.assigned());
            missing.addAll(e.assigned());
            threaded.forEach(missing::remove);
            if (!missing.isEmpty()) {
                threaded.addAll(missing);
                continue;
            }
            int nt = t.block().results().size(), ne = e.block().results().size();
            if (nt != ne) {
                throw new TfException("Tf.cond: the true branch returns " + (nt - vars.size()) + " values but the false branch returns "
                        + (ne - vars.size()) + " (at " + loc + ")");
            }
            List<Tensor> out = trace.addStructured(ControlFlowOps.COND, List.of(trace.valueOf(pred)), List.of(t.block(), e.block()), loc);
            int n = out.size() - vars.size();
            writeBack(vars, out.subList(n, out.size()));
            return out.subList(0, n);
        }
    }

    private static List<Tensor> withVariables(List<Tensor> results, List<Variable> vars) {
        List<Tensor> all = new ArrayList<>(results);
        for (Variable v : vars) all.add(v.read());
        return all;
    }

    private void bind(List<Variable> vars, List<Tensor> params) {
        for (int i = 0; i < vars.size(); i++) trace.bindVariable(vars.get(i), params.get(i));
    }

    private void writeBack(List<Variable> vars, List<Tensor> values) {
        for (int i = 0; i < vars.size(); i++) trace.assignVariable(vars.get(i), values.get(i));
    }

    private static TensorType variableType(Variable v) { return new TensorType(v.dtype(), v.shape()); }

    private static List<String> names(Set<Variable> vars) { return vars.stream().map(Variable::name).toList(); }
}
