package dev.tfjit.ir;

import dev.tfjit.ir.ops.ArrayOps;
import dev.tfjit.ir.ops.ControlFlowOps;
import dev.tfjit.ir.ops.ConvOps;
import dev.tfjit.ir.ops.CreationOps;
import dev.tfjit.ir.ops.ElementwiseOps;
import dev.tfjit.ir.ops.FusionOps;
import dev.tfjit.ir.ops.IoOps;
import dev.tfjit.ir.ops.JavaCallOps;
import dev.tfjit.ir.ops.LinalgOps;
import dev.tfjit.ir.ops.NnOps;
import dev.tfjit.ir.ops.RaggedOps;
import dev.tfjit.ir.ops.RandomOps;
import dev.tfjit.ir.ops.ReductionOps;
import dev.tfjit.ir.ops.SetOps;
import dev.tfjit.ir.ops.SparseOps;
import dev.tfjit.ir.ops.StringOps;
import dev.tfjit.ir.ops.TensorArrayOps;
import dev.tfjit.ir.ops.UnicodeOps;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every op, by IR name. Ops are the {@code public static final OpDef} fields of the family
 * classes in {@code dev.tfjit.ir.ops}; registering a family here is the only list to keep.
 */
public final class OpCatalog {
    private static final Map<String, OpDef> OPS = collect(
            CreationOps.class, RandomOps.class, ElementwiseOps.class, ArrayOps.class, ReductionOps.class,
            LinalgOps.class, NnOps.class, StringOps.class, ControlFlowOps.class, IoOps.class, FusionOps.class,
            SparseOps.class, RaggedOps.class, TensorArrayOps.class, UnicodeOps.class,
            SetOps.class, JavaCallOps.class, ConvOps.class);

    private OpCatalog() {}

    public static OpDef get(String name) {
        OpDef op = OPS.get(name);
        if (op == null) throw new UnimplementedError("unknown op '" + name + "'");
        return op;
    }

    public static boolean has(String name) { return OPS.containsKey(name); }

    public static Collection<OpDef> all() { return Collections.unmodifiableCollection(OPS.values()); }

    private static Map<String, OpDef> collect(Class<?>... families) {
        Map<String, OpDef> m = new LinkedHashMap<>();
        for (Class<?> family : families) {
            for (Field f : family.getFields()) {
                if (!Modifier.isStatic(f.getModifiers()) || f.getType() != OpDef.class) continue;
                try {
                    OpDef op = (OpDef) f.get(null);
                    OpDef prev = m.putIfAbsent(op.name(), op);
                    if (prev != null && prev != op) throw new IllegalStateException("op '" + op.name() + "' is defined twice");
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return m;
    }
}
