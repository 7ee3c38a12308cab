package dev.tfjit.runtime;

/**
 * While-loop programs as IR text that the interpreter's tests and the backends' tests both run
 * (the backends' tests get them from this module's test jar).
 */
public final class ControlFlowPrograms {
    private ControlFlowPrograms() {}

    /** Counts from 0 to {@code n}: a loop whose condition reads a captured argument (0 iterations when n <= 0). */
    public static final String COUNT_TO_N = """
            func @count(%n: i32[]) -> i32[] {
              %0 = constant {value=dense<i32[]: 0>} : i32[]
              %1 = constant {value=dense<i32[]: 1>} : i32[]
              %2 = while %0 : i32[] {
              ^(%i: i32[]):
                %3 = less %i, %n : bool[]
                yield %3
              } {
              ^(%j: i32[]):
                %4 = add %j, %1 : i32[]
                yield %4
              }
              return %2
            }
            """;

    /** (a, b) <- (b, a + b), n times, from (0, 1): returns fib(n) and fib(n + 1), loop vars that swap each iteration. */
    public static final String FIBONACCI = """
            func @fib(%n: i32[]) -> (i64[], i64[]) {
              %0 = constant {value=dense<i32[]: 0>} : i32[]
              %1 = constant {value=dense<i32[]: 1>} : i32[]
              %2 = constant {value=dense<i64[]: 0>} : i64[]
              %3 = constant {value=dense<i64[]: 1>} : i64[]
              %4, %5, %6 = while %0, %2, %3 : i32[], i64[], i64[] {
              ^(%i: i32[], %a: i64[], %b: i64[]):
                %7 = less %i, %n : bool[]
                yield %7
              } {
              ^(%i2: i32[], %a2: i64[], %b2: i64[]):
                %8 = add %i2, %1 : i32[]
                %9 = add %a2, %b2 : i64[]
                yield %8, %b2, %9
              }
              return %5, %6
            }
            """;
}
