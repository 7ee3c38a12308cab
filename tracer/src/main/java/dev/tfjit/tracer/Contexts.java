package dev.tfjit.tracer;

import java.util.ArrayDeque;
import java.util.Deque;

/** The per-thread stack of execution contexts. */
final class Contexts {
    private static final ThreadLocal<Deque<ExecutionContext>> STACK = ThreadLocal.withInitial(ArrayDeque::new);

    private Contexts() {}

    /** An open context, closed by try-with-resources. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    static ExecutionContext current() {
        ExecutionContext c = STACK.get().peek();
        return c == null ? EagerContext.INSTANCE : c;
    }

    /** Makes {@code c} current until the returned scope is closed. */
    static Scope push(ExecutionContext c) {
        Deque<ExecutionContext> s = STACK.get();
        s.push(c);
        return () -> {
            if (s.peek() != c) throw new IllegalStateException("execution contexts closed out of order");
            s.pop();
        };
    }
}
