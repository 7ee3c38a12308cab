package dev.tfjit.ir;

import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The one definition of an op: name, arity, typing rule, reference kernel, gradient rule and
 * effects. Backends look ops up here; nothing else switches on op names.
 */
public final class OpDef {
    /** Op effects that passes must respect. */
    public enum Effect {
        /** Pure: may be folded, merged (CSE) and removed when unused. */
        PURE,
        /** Random: never merged or folded; removed when unused. */
        RANDOM,
        /** Side effect (print, variable write): never removed, merged or reordered. */
        SIDE_EFFECT
    }

    /**
     * How the op takes part in XLA-style fusion; the fusion pass and the code generators read
     * it instead of switching on op names.
     */
    public enum FusionKind {
        /** One output element from the input elements at the same (broadcast) index: add, exp, cast, select. */
        ELEMENTWISE,
        /** Moves or repeats elements by index arithmetic only: reshape, transpose, slice, concat, pad, broadcast_to. */
        BROADCAST_LIKE,
        /** Folds elements along axes; the hero of an input fusion. */
        REDUCTION,
        /** A matrix product; the hero of an output fusion, run by a tuned kernel. */
        MATMUL,
        /** Never fused: gather, sort, random, print, control flow, strings and everything else. */
        OPAQUE
    }

    private final String name;
    private final int minInputs;
    private final int maxInputs; // -1: variadic
    private final int numRegions;
    private final TypeRule typeRule;
    private final Kernel kernel;
    private final GradientRule gradient;
    private final Effect effect;
    private final FusionKind fusionKind;
    private final boolean expensive;

    private OpDef(Builder b) {
        this.name = b.name;
        this.minInputs = b.minInputs;
        this.maxInputs = b.maxInputs;
        this.numRegions = b.numRegions;
        this.typeRule = Objects.requireNonNull(b.typeRule, () -> b.name + ": type rule is required");
        this.kernel = Objects.requireNonNull(b.kernel, () -> b.name + ": reference kernel is required");
        this.gradient = b.gradient;
        this.effect = b.effect;
        this.fusionKind = b.fusionKind;
        this.expensive = b.expensive;
    }

    public static Builder op(String name) { return new Builder(name); }

    public String name() { return name; }

    public int minInputs() { return minInputs; }

    public int maxInputs() { return maxInputs; }

    public int numRegions() { return numRegions; }

    public Effect effect() { return effect; }

    public boolean isPure() { return effect == Effect.PURE; }

    public FusionKind fusionKind() { return fusionKind; }

    /**
     * True when computing one element costs much more than reading it (transcendentals,
     * divisions, matmul, reductions): fusion must not recompute such an op for several users.
     */
    public boolean isExpensive() { return expensive; }

    public Kernel kernel() { return kernel; }

    /** The gradient rule, or null when the op is not differentiable. */
    public GradientRule gradient() { return gradient; }

    /** Checks arity, then applies the type rule; errors name this op. */
    public List<TensorType> inferTypes(List<TensorType> inputs, Attrs attrs, List<Block> regions) {
        checkArity(inputs.size());
        if (regions.size() != numRegions) {
            throw new TfException(name + " takes " + numRegions + " regions, got " + regions.size());
        }
        return typeRule.infer(inputs, attrs, regions);
    }

    public List<TensorType> inferTypes(List<TensorType> inputs, Attrs attrs) {
        return inferTypes(inputs, attrs, List.of());
    }

    /** Runs the reference kernel. */
    public List<Buffer> evaluate(List<Buffer> inputs, Attrs attrs, Kernel.RegionRunner regions) {
        checkArity(inputs.size());
        return kernel.run(inputs, attrs, regions);
    }

    public List<Buffer> evaluate(List<Buffer> inputs, Attrs attrs) {
        return evaluate(inputs, attrs, Kernel.RegionRunner.NONE);
    }

    private void checkArity(int n) {
        if (n < minInputs || (maxInputs >= 0 && n > maxInputs)) {
            String want = maxInputs < 0 ? "at least " + minInputs : minInputs == maxInputs ? "" + minInputs : minInputs + " to " + maxInputs;
            throw new TfException(name + " takes " + want + " inputs, got " + n);
        }
    }

    @Override
    public String toString() { return name; }

    public static final class Builder {
        private final String name;
        private int minInputs;
        private int maxInputs;
        private int numRegions;
        private TypeRule typeRule;
        private Kernel kernel;
        private GradientRule gradient;
        private Effect effect = Effect.PURE;
        private FusionKind fusionKind = FusionKind.OPAQUE;
        private boolean expensive;

        private Builder(String name) { this.name = name; }

        public Builder inputs(int n) { minInputs = n; maxInputs = n; return this; }

        public Builder inputs(int min, int max) { minInputs = min; maxInputs = max; return this; }

        public Builder variadic(int min) { minInputs = min; maxInputs = -1; return this; }

        public Builder regions(int n) { numRegions = n; return this; }

        public Builder types(TypeRule rule) { typeRule = rule; return this; }

        /** A type rule for ops without regions that define a single output. */
        public Builder type(BiFunction<List<TensorType>, Attrs, TensorType> rule) {
            typeRule = (in, a, r) -> List.of(rule.apply(in, a));
            return this;
        }

        public Builder kernel(Kernel k) { kernel = k; return this; }

        /** A kernel for single-output ops without regions. */
        public Builder kernel1(BiFunction<List<Buffer>, Attrs, Buffer> k) {
            kernel = (in, a, r) -> List.of(k.apply(in, a));
            return this;
        }

        public Builder gradient(GradientRule g) { gradient = g; return this; }

        public Builder effect(Effect e) { effect = e; return this; }

        /** How the op fuses; ops that do not say are {@link FusionKind#OPAQUE}. */
        public Builder fusion(FusionKind kind) { fusionKind = Objects.requireNonNull(kind); return this; }

        /** Marks the op as too costly to recompute per user (see {@link #isExpensive}). */
        public Builder expensive() { expensive = true; return this; }

        public Builder expensive(boolean e) { expensive = e; return this; }

        public OpDef build() { return new OpDef(this); }
    }
}
