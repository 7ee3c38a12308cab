package dev.tfjit.autograph;

/** A lambda's converted code, called directly (eagerly, when given eager tensors). */
record Converted(ConvertedMethod method, Object[] captured) {
    static Converted of(Object lambda) {
        LambdaSource src = LambdaSource.of(lambda);
        return new Converted(new ConvertedMethod(src.code(), null, true, true), src.captured());
    }

    Object invoke(Object... args) { return method.invoke(Autograph.concat(captured, args)); }
}
