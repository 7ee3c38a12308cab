package dev.tfjit.ir;

import java.util.Arrays;

/** A node attribute: the non-tensor arguments of an op (axes, dtypes, constants...). */
public sealed interface AttrValue {
    record Int(long value) implements AttrValue {}

    record Float(double value) implements AttrValue {
        @Override public boolean equals(Object o) {
            return o instanceof Float f && Double.doubleToRawLongBits(f.value) == Double.doubleToRawLongBits(value);
        }
        @Override public int hashCode() { return Double.hashCode(value); }
    }

    record Bool(boolean value) implements AttrValue {}

    record Str(String value) implements AttrValue {}

    record Ints(long[] values) implements AttrValue {
        public Ints { values = values.clone(); }
        @Override public long[] values() { return values.clone(); }
        @Override public boolean equals(Object o) { return o instanceof Ints i && Arrays.equals(values, i.values); }
        @Override public int hashCode() { return Arrays.hashCode(values); }
        @Override public String toString() { return "Ints" + Arrays.toString(values); }
    }

    record Floats(double[] values) implements AttrValue {
        public Floats { values = values.clone(); }
        @Override public double[] values() { return values.clone(); }
        @Override public boolean equals(Object o) { return o instanceof Floats f && Arrays.equals(values, f.values); }
        @Override public int hashCode() { return Arrays.hashCode(values); }
        @Override public String toString() { return "Floats" + Arrays.toString(values); }
    }

    record Type(DType value) implements AttrValue {}

    record ShapeAttr(Shape value) implements AttrValue {}

    /** A constant tensor; equality is by content so CSE can merge equal constants. */
    record Tensor(Buffer value) implements AttrValue {
        @Override public boolean equals(Object o) { return o instanceof Tensor t && t.value.contentEquals(value); }
        @Override public int hashCode() { return value.type().hashCode(); }
    }
}
