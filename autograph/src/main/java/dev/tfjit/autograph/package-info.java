/**
 * AutoGraph for Java bytecode, and {@code @TfFunction}.
 *
 * <p>{@link dev.tfjit.autograph.Autograph#function} (a serializable lambda) and
 * {@link dev.tfjit.autograph.TfFunctions#compile} (annotated methods; the Java agent in
 * {@code dev.tfjit.autograph.agent} routes their calls through {@link dev.tfjit.autograph.TfFunctionRuntime})
 * convert a method ({@link dev.tfjit.autograph.ConvertedMethod}): its bytecode is analysed
 * ({@link dev.tfjit.autograph.MethodAnalysis}: verifier types, control-flow graph, liveness), each
 * {@code Tensor.booleanValue()} test is classified by the control flow around it
 * ({@link dev.tfjit.autograph.RegionAnalysis}: post-dominators for where an if's branches meet, strongly
 * connected code for loops), and the method is rewritten ({@link dev.tfjit.autograph.RegionCompiler})
 * into a hidden nestmate class whose tests first ask whether the tensor is symbolic. At run time
 * {@link dev.tfjit.autograph.Staging} decides per statement: an eager tensor runs the original Java; a
 * symbolic one stages a {@code cond} ({@link dev.tfjit.autograph.Conds}) or {@code while}
 * ({@link dev.tfjit.autograph.Loops}) over regions of the method compiled on first use, with
 * break/continue/return carried as an exit index, as AutoGraph's flags.
 */
package dev.tfjit.autograph;
