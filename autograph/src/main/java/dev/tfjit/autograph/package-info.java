/**
 * AutoGraph for Java lambdas. {@link dev.tfjit.autograph.Autograph#function} finds a serializable
 * lambda's implementation method ({@link dev.tfjit.autograph.LambdaSource}), finds the
 * {@code Tensor.booleanValue()} tests that control an {@code if} or {@code while}
 * ({@link dev.tfjit.autograph.PointFinder}, using {@link dev.tfjit.autograph.MethodAnalysis}'s
 * verifier frames and liveness), and rewrites the method ({@link dev.tfjit.autograph.MethodRewriter})
 * into a hidden nestmate class ({@link dev.tfjit.autograph.ConvertedLambda}). At run time
 * {@link dev.tfjit.autograph.Staging} decides per statement: eager predicate, the original Java;
 * symbolic predicate, one staged {@code cond} or {@code while} node.
 */
package dev.tfjit.autograph;
