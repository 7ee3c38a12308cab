package dev.tfjit.tests.goldens;

import dev.tfjit.ir.DType;
import dev.tfjit.tracer.Tf;

import java.util.Map;

/** Golden mappings for the shape, join_split, gather, slice, pad, where, one_hot, reverse and range families. */
final class ArrayGoldens {
    private ArrayGoldens() {}

    static void register(Map<String, GoldenOp> ops) {
        ops.put("reshape", GoldenOp.single((in, a) -> Tf.reshape(in.get(0), a.ints("shape"))));
        ops.put("expand_dims", GoldenOp.single((in, a) -> Tf.expandDims(in.get(0), a.integer("axis"))));
        ops.put("squeeze", GoldenOp.single((in, a) ->
                a.has("axis") ? Tf.squeeze(in.get(0), a.ints("axis")) : Tf.squeeze(in.get(0))));
        ops.put("transpose", GoldenOp.single((in, a) ->
                a.has("perm") ? Tf.transpose(in.get(0), a.ints("perm")) : Tf.transpose(in.get(0))));
        ops.put("tile", GoldenOp.single((in, a) -> Tf.tile(in.get(0), a.ints("multiples"))));
        ops.put("broadcast_to", GoldenOp.single((in, a) -> Tf.broadcastTo(in.get(0), a.ints("shape"))));
        ops.put("reverse", GoldenOp.single((in, a) -> Tf.reverse(in.get(0), a.ints("axis"))));

        ops.put("concat", GoldenOp.single((in, a) -> Tf.concat(in, a.integer("axis"))));
        ops.put("stack", GoldenOp.single((in, a) -> Tf.stack(in, a.integer("axis", 0))));
        ops.put("unstack", (in, a) ->
                a.has("num") ? Tf.unstack(in.get(0), a.integer("axis", 0), a.integer("num")) : Tf.unstack(in.get(0), a.integer("axis", 0)));
        ops.put("split", (in, a) -> a.raw("num_or_size_splits") instanceof Number n
                ? Tf.split(in.get(0), n.intValue(), a.integer("axis", 0))
                : Tf.split(in.get(0), a.ints("num_or_size_splits"), a.integer("axis", 0)));

        ops.put("slice", GoldenOp.single((in, a) -> Tf.slice(in.get(0), a.ints("begin"), a.ints("size"))));
        ops.put("strided_slice", GoldenOp.single((in, a) -> Tf.stridedSlice(in.get(0), a.ints("begin"), a.ints("end"),
                a.ints("strides"), a.integer("begin_mask", 0), a.integer("end_mask", 0), a.integer("ellipsis_mask", 0),
                a.integer("new_axis_mask", 0), a.integer("shrink_axis_mask", 0))));

        ops.put("gather", GoldenOp.single((in, a) ->
                Tf.gather(in.get(0), in.get(1), a.integer("axis", 0), a.integer("batch_dims", 0))));
        ops.put("boolean_mask", GoldenOp.single((in, a) -> Tf.booleanMask(in.get(0), in.get(1), a.integer("axis", 0))));

        ops.put("pad", GoldenOp.single((in, a) -> {
            String mode = a.string("mode", "CONSTANT");
            Object c = a.raw("constant_values");
            return c instanceof Number n ? Tf.pad(in.get(0), a.intMatrix("paddings"), mode, n) : Tf.pad(in.get(0), a.intMatrix("paddings"), mode);
        }));
        ops.put("where", GoldenOp.single((in, a) ->
                in.size() == 1 ? Tf.where(in.get(0)) : Tf.where(in.get(0), in.get(1), in.get(2))));
        ops.put("one_hot", GoldenOp.single((in, a) -> {
            DType dtype = DType.fromTfName(a.string("dtype", "float32"));
            return Tf.oneHot(in.get(0), a.integer("depth"), (Number) a.raw("on_value"), (Number) a.raw("off_value"),
                    a.integer("axis", -1), dtype);
        }));
    }

}
