package dev.tfjit.ir.ops;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.GradientBuilder;
import dev.tfjit.ir.GradientRule;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Operand;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.kernels.Axes;
import dev.tfjit.ir.kernels.Broadcast;
import dev.tfjit.ir.kernels.Elementwise;
import dev.tfjit.ir.kernels.Gather;
import dev.tfjit.ir.kernels.OneHot;
import dev.tfjit.ir.kernels.Pad;
import dev.tfjit.ir.kernels.Reshape;
import dev.tfjit.ir.kernels.Scatter;
import dev.tfjit.ir.kernels.StridedCopy;
import dev.tfjit.ir.kernels.StridedSliceSpec;
import dev.tfjit.ir.kernels.Where;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shape, indexing, slicing and data-movement ops. Type rules follow TensorFlow's shape
 * functions (unknown dims stay unknown, errors use TF's wording); kernels are strided views
 * copied by {@link StridedCopy}, and pure reshapes share the input's memory.
 */
public final class ArrayOps {
    private ArrayOps() {}

    // ------------------------------------------------------------------ shape queries

    /** {@code shape {out_type}}: the input's dims as a vector (int32 unless out_type is int64). */
    public static final OpDef SHAPE = OpDef.op("shape").inputs(1)
            .type((in, a) -> {
                Shape s = in.get(0).shape();
                return new TensorType(indexOutType(a.has("out_type") ? a.getDType("out_type") : DType.INT32),
                        Shape.of(s.hasRank() ? s.rank() : Shape.UNKNOWN));
            })
            .kernel1((in, a) -> {
                int[] dims = in.get(0).shape().dims();
                Buffer b = Buffer.allocate(a.has("out_type") ? a.getDType("out_type") : DType.INT32, dims.length);
                for (int i = 0; i < dims.length; i++) b.setLong(i, dims[i]);
                return b;
            })
            .gradient(GradientRule.NONE)
            .build();

    /** {@code size}: the number of elements, an int32 scalar. */
    public static final OpDef SIZE = OpDef.op("size").inputs(1)
            .type((in, a) -> TensorType.scalar(DType.INT32))
            .kernel1((in, a) -> Buffer.scalarLong(DType.INT32, Math.toIntExact(in.get(0).size())))
            .gradient(GradientRule.NONE)
            .build();

    /** {@code rank}: the number of dims, an int32 scalar. */
    public static final OpDef RANK = OpDef.op("rank").inputs(1)
            .type((in, a) -> TensorType.scalar(DType.INT32))
            .kernel1((in, a) -> Buffer.scalarLong(DType.INT32, in.get(0).shape().rank()))
            .gradient(GradientRule.NONE)
            .build();

    /** {@code identity}: the input itself (buffers are immutable, so no copy). */
    public static final OpDef IDENTITY = OpDef.op("identity").inputs(1).fusion(OpDef.FusionKind.ELEMENTWISE)
            .type((in, a) -> in.get(0))
            .kernel1((in, a) -> in.get(0))
            .gradient(GradientRule.of1((g, c) -> c.dy()))
            .build();

    /** {@code stop_gradient}: the input itself, through which no gradient flows (TF's StopGradient). */
    public static final OpDef STOP_GRADIENT = OpDef.op("stop_gradient").inputs(1).fusion(OpDef.FusionKind.ELEMENTWISE)
            .type((in, a) -> in.get(0))
            .kernel1((in, a) -> in.get(0))
            .gradient(GradientRule.NONE)
            .build();

    // ------------------------------------------------------------------ reshapes (no data movement)

    /**
     * {@code reshape {shape}} or {@code reshape(x, shape_tensor)}: the shape as an attribute, or
     * as an int32/int64 vector input when it is computed (for example from unknown dims).
     */
    public static final OpDef RESHAPE = OpDef.op("reshape").inputs(1, 2).fusion(OpDef.FusionKind.BROADCAST_LIKE)
            .type((in, a) -> {
                TensorType x = in.get(0);
                if (in.size() == 1) return new TensorType(x.dtype(), Reshape.resolve(a.getLongs("shape"), x.shape()));
                Shape s = in.get(1).shape();
                requireIndexDType("reshape", "shape", in.get(1).dtype());
                if (s.hasRank() && s.rank() != 1) throw new InvalidArgumentError("shape must be a vector, got shape " + s.brief());
                boolean known = s.hasRank() && s.dim(0) != Shape.UNKNOWN;
                return new TensorType(x.dtype(), known ? Shape.unknownDims(s.dim(0)) : Shape.unknownRank());
            })
            .kernel1((in, a) -> {
                long[] requested = in.size() == 1 ? a.getLongs("shape") : in.get(1).toLongArray();
                return in.get(0).reshaped(Reshape.resolve(requested, in.get(0).shape()));
            })
            .gradient((g, c) -> { List<Operand> r = ArrayGradients.nulls(c.inputs().size()); r.set(0, g.reshapeLike(c.dy(), c.x())); return r; })
            .build();

    /** {@code expand_dims {axis}}: a dim of 1 inserted at axis, which may be in {@code [-rank-1, rank]}. */
    public static final OpDef EXPAND_DIMS = OpDef.op("expand_dims").inputs(1).fusion(OpDef.FusionKind.BROADCAST_LIKE)
            .type((in, a) -> new TensorType(in.get(0).dtype(), expandDims(in.get(0).shape(), a.getLong("axis"))))
            .kernel1((in, a) -> in.get(0).reshaped(expandDims(in.get(0).shape(), a.getLong("axis"))))
            .gradient(GradientRule.of1((g, c) -> g.reshapeLike(c.dy(), c.x())))
            .build();

    /** {@code squeeze {axis?}}: removes the listed dims of size 1, or every dim of size 1. */
    public static final OpDef SQUEEZE = OpDef.op("squeeze").inputs(1).fusion(OpDef.FusionKind.BROADCAST_LIKE)
            .type((in, a) -> new TensorType(in.get(0).dtype(), squeeze(in.get(0).shape(), a.has("axis") ? a.getLongs("axis") : null)))
            .kernel1((in, a) -> in.get(0).reshaped(squeeze(in.get(0).shape(), a.has("axis") ? a.getLongs("axis") : null)))
            .gradient(GradientRule.of1((g, c) -> g.reshapeLike(c.dy(), c.x())))
            .build();

    // ------------------------------------------------------------------ permutations and repeats

    /** {@code transpose {perm?}}: output dim i is input dim perm[i]; without perm, the dims reversed. */
    public static final OpDef TRANSPOSE = OpDef.op("transpose").inputs(1).fusion(OpDef.FusionKind.BROADCAST_LIKE)
            .type((in, a) -> {
                Shape s = in.get(0).shape();
                if (!s.hasRank()) return new TensorType(in.get(0).dtype(), s);
                int[] p = perm(a.has("perm") ? a.getLongs("perm") : null, s.rank());
                int[] out = new int[p.length];
                for (int i = 0; i < p.length; i++) out[i] = s.dim(p[i]);
                return new TensorType(in.get(0).dtype(), Shape.of(out));
            })
            .kernel1((in, a) -> {
                Buffer x = in.get(0);
                int[] p = perm(a.has("perm") ? a.getLongs("perm") : null, x.shape().rank());
                long[] own = x.shape().strides();
                long[] strides = new long[p.length];
                int[] out = new int[p.length];
                for (int i = 0; i < p.length; i++) {
                    strides[i] = own[p[i]];
                    out[i] = x.shape().dim(p[i]);
                }
                return StridedCopy.read(x, 0, strides, Shape.of(out));
            })
            .gradient(GradientRule.of1(ArrayGradients::transpose))
            .build();

    /** {@code tile {multiples}}: the input repeated multiples[i] times along dim i. */
    public static final OpDef TILE = OpDef.op("tile").inputs(1).fusion(OpDef.FusionKind.BROADCAST_LIKE)
            .type((in, a) -> new TensorType(in.get(0).dtype(), tileShape(in.get(0).shape(), a.getLongs("multiples"))))
            .kernel1((in, a) -> {
                Buffer x = in.get(0);
                long[] m = a.getLongs("multiples");
                Shape out = tileShape(x.shape(), m);
                // A view of shape [m0, d0, m1, d1, ...] whose repeat dims have stride 0.
                int r = x.shape().rank();
                int[] dims = new int[2 * r];
                long[] strides = new long[2 * r];
                long[] own = x.shape().strides();
                for (int i = 0; i < r; i++) {
                    dims[2 * i] = (int) m[i];
                    dims[2 * i + 1] = x.shape().dim(i);
                    strides[2 * i + 1] = own[i];
                }
                return StridedCopy.read(x, 0, strides, Shape.of(dims)).reshaped(out);
            })
            .gradient(GradientRule.of1(ArrayGradients::tile))
            .build();

    /** {@code broadcast_to {shape}}: NumPy broadcasting of the input to exactly {@code shape}. */
    public static final OpDef BROADCAST_TO = OpDef.op("broadcast_to").inputs(1).fusion(OpDef.FusionKind.BROADCAST_LIKE)
            .type((in, a) -> new TensorType(in.get(0).dtype(), broadcastTo(in.get(0).shape(), shapeAttr(a.getLongs("shape")))))
            .kernel1((in, a) -> {
                Buffer x = in.get(0);
                Shape out = broadcastTo(x.shape(), shapeAttr(a.getLongs("shape")));
                return StridedCopy.read(x, 0, Broadcast.readStrides(x.shape(), out), out);
            })
            .gradient(GradientRule.of1((g, c) -> g.sumTo(c.dy(), c.x())))
            .build();

    /** {@code reverse {axis}} (TF's ReverseV2): the order of elements reversed along each listed axis. */
    public static final OpDef REVERSE = OpDef.op("reverse").inputs(1).fusion(OpDef.FusionKind.BROADCAST_LIKE)
            .type((in, a) -> {
                Shape s = in.get(0).shape();
                if (s.hasRank()) reverseAxes(a.getLongs("axis"), s.rank());
                return in.get(0);
            })
            .kernel1((in, a) -> {
                Buffer x = in.get(0);
                Shape s = x.shape();
                boolean[] rev = reverseAxes(a.getLongs("axis"), s.rank());
                long[] strides = s.strides();
                long offset = 0;
                for (int i = 0; i < rev.length; i++) {
                    if (rev[i] && s.dim(i) > 0) {
                        offset += (s.dim(i) - 1L) * strides[i];
                        strides[i] = -strides[i];
                    }
                }
                return StridedCopy.read(x, offset, strides, s);
            })
            .gradient(GradientRule.of1((g, c) -> g.emit1(ArrayOps.REVERSE, c.attrs(), c.dy())))
            .build();

    // ------------------------------------------------------------------ joining and splitting

    /** {@code concat {axis}} (TF's ConcatV2): inputs joined along an existing axis. */
    public static final OpDef CONCAT = OpDef.op("concat").variadic(1).fusion(OpDef.FusionKind.BROADCAST_LIKE)
            .type((in, a) -> {
                DType t = Elementwise.sameDType("concat", in);
                return new TensorType(t, concatShape(shapesOf(in), a.getLong("axis")));
            })
            .kernel1((in, a) -> concat(in, a.getLong("axis")))
            .gradient(ArrayGradients::concat)
            .build();

    /** {@code stack {axis}} (TF's Pack): inputs of one shape joined along a new axis. */
    public static final OpDef STACK = OpDef.op("stack").variadic(1).fusion(OpDef.FusionKind.BROADCAST_LIKE)
            .type((in, a) -> {
                DType t = Elementwise.sameDType("stack", in);
                Shape s = stackedItemShape(shapesOf(in));
                if (!s.hasRank()) return new TensorType(t, s);
                int axis = Axes.normalize(a.getLong("axis"), s.rank() + 1, "axis = ");
                return new TensorType(t, insertDim(s, axis, in.size()));
            })
            .kernel1((in, a) -> {
                Shape s = stackedItemShape(shapesOf(buffersTypes(in)));
                int axis = Axes.normalize(a.getLong("axis"), s.rank() + 1, "axis = ");
                Shape expanded = insertDim(s, axis, 1);
                List<Buffer> parts = new ArrayList<>(in.size());
                for (Buffer b : in) parts.add(b.reshaped(expanded));
                return concat(parts, axis);
            })
            .gradient((g, c) -> g.emit(ArrayOps.UNSTACK, Attrs.of("axis", c.attrs().getLong("axis"), "num", c.inputs().size()), List.of(c.dy())))
            .build();

    /** {@code unstack {axis, num?}} (TF's Unpack): the slices along an axis, as {@code num} outputs. */
    public static final OpDef UNSTACK = OpDef.op("unstack").inputs(1)
            .types((in, a, r) -> {
                Shape s = in.get(0).shape();
                if (!s.hasRank()) throw new ShapeError("Cannot infer argument `num` from shape <unknown>");
                int axis = Axes.normalize(a.getLong("axis", 0), s.rank(), "axis = ");
                int num = unstackCount(s, axis, a.has("num") ? a.getInt("num") : -1);
                TensorType item = new TensorType(in.get(0).dtype(), removeDim(s, axis));
                return java.util.Collections.nCopies(num, item);
            })
            .kernel((in, a, r) -> {
                Buffer x = in.get(0);
                Shape s = x.shape();
                int axis = Axes.normalize(a.getLong("axis", 0), s.rank(), "axis = ");
                int num = unstackCount(s, axis, a.has("num") ? a.getInt("num") : -1);
                Shape item = removeDim(s, axis);
                long[] own = s.strides();
                long[] strides = new long[s.rank() - 1];
                for (int i = 0, k = 0; i < s.rank(); i++) if (i != axis) strides[k++] = own[i];
                List<Buffer> out = new ArrayList<>(num);
                for (int k = 0; k < num; k++) out.add(StridedCopy.read(x, k * own[axis], strides, item));
                return out;
            })
            .gradient(GradientRule.of1((g, c) -> g.emit1(ArrayOps.STACK, Attrs.of("axis", c.attrs().getLong("axis", 0)), c.outputGrads().toArray(Operand[]::new))))
            .build();

    /** {@code split {axis, num_split}} (TF's Split): {@code num_split} equal pieces along axis. */
    public static final OpDef SPLIT = OpDef.op("split").inputs(1)
            .types((in, a, r) -> splitTypes(in.get(0), a.getLong("axis"), evenSizes(in.get(0).shape(), a.getLong("axis"), a.getLong("num_split"))))
            .kernel((in, a, r) -> splitKernel(in.get(0), a.getLong("axis"),
                    evenSizes(in.get(0).shape(), a.getLong("axis"), a.getLong("num_split"))))
            .gradient(GradientRule.of1(ArrayGradients::joinPieces))
            .build();

    /** {@code split_v {axis, size_splits}} (TF's SplitV): pieces of the given sizes; one size may be -1. */
    public static final OpDef SPLIT_V = OpDef.op("split_v").inputs(1)
            .types((in, a, r) -> splitTypes(in.get(0), a.getLong("axis"), givenSizes(in.get(0).shape(), a.getLong("axis"), a.getLongs("size_splits"))))
            .kernel((in, a, r) -> splitKernel(in.get(0), a.getLong("axis"),
                    givenSizes(in.get(0).shape(), a.getLong("axis"), a.getLongs("size_splits"))))
            .gradient(GradientRule.of1(ArrayGradients::joinPieces))
            .build();

    // ------------------------------------------------------------------ slicing

    /** {@code slice {begin, size}}: a box of the input; a size of -1 takes the rest of that dim. */
    public static final OpDef SLICE = OpDef.op("slice").inputs(1).fusion(OpDef.FusionKind.BROADCAST_LIKE)
            .type((in, a) -> new TensorType(in.get(0).dtype(), sliceShape(in.get(0).shape(), a.getLongs("begin"), a.getLongs("size"))))
            .kernel1((in, a) -> {
                Buffer x = in.get(0);
                long[] begin = a.getLongs("begin");
                Shape out = sliceShape(x.shape(), begin, a.getLongs("size"));
                long[] strides = x.shape().strides();
                long offset = 0;
                for (int i = 0; i < begin.length; i++) if (out.dim(i) > 0) offset += begin[i] * strides[i];
                return StridedCopy.read(x, offset, strides, out);
            })
            .gradient(GradientRule.of1(ArrayGradients::slice))
            .build();

    /** {@code strided_slice {begin, end, strides, *_mask}}: TF's StridedSlice, as Python's {@code x[...]} lowers to it. */
    public static final OpDef STRIDED_SLICE = OpDef.op("strided_slice").inputs(1).fusion(OpDef.FusionKind.BROADCAST_LIKE)
            .type((in, a) -> {
                Shape s = in.get(0).shape();
                if (!s.hasRank()) return new TensorType(in.get(0).dtype(), s);
                return new TensorType(in.get(0).dtype(), StridedSliceSpec.of(a).resolve(s).result());
            })
            .kernel1((in, a) -> {
                Buffer x = in.get(0);
                StridedSliceSpec.Resolved r = StridedSliceSpec.of(a).resolve(x.shape());
                return StridedCopy.read(x, StridedSliceSpec.viewOffset(r, x.shape()),
                        StridedSliceSpec.viewStrides(r, x.shape()), r.processing()).reshaped(r.result());
            })
            .gradient(GradientRule.of1((g, c) -> g.emit1(ArrayOps.TENSOR_STRIDED_SLICE_UPDATE, c.attrs(), g.zerosLike(c.x()), c.dy())))
            .build();

    /**
     * {@code tensor_strided_slice_update {begin, end, strides, *_mask}}(input, value): a copy of
     * input with the strided slice replaced by value, whose shape must be the slice's shape.
     */
    public static final OpDef TENSOR_STRIDED_SLICE_UPDATE = OpDef.op("tensor_strided_slice_update").inputs(2)
            .type((in, a) -> {
                DType t = Elementwise.sameDType("tensor_strided_slice_update", in);
                Shape s = in.get(0).shape();
                if (s.hasRank()) checkSliceValue(StridedSliceSpec.of(a).resolve(s).result(), in.get(1).shape());
                return new TensorType(t, s);
            })
            .kernel1((in, a) -> {
                Buffer x = in.get(0), v = in.get(1);
                StridedSliceSpec.Resolved r = StridedSliceSpec.of(a).resolve(x.shape());
                checkSliceValue(r.result(), v.shape());
                Buffer out = x.copy();
                StridedCopy.write(v.reshaped(r.processing()), out, StridedSliceSpec.viewOffset(r, x.shape()),
                        StridedSliceSpec.viewStrides(r, x.shape()));
                return out;
            })
            .gradient((g, c) -> List.of(g.emit1(ArrayOps.TENSOR_STRIDED_SLICE_UPDATE, c.attrs(), c.dy(), g.zerosLike(c.x(1))),
                    g.emit1(ArrayOps.STRIDED_SLICE, c.attrs(), c.dy())))
            .build();

    // ------------------------------------------------------------------ gather and scatter

    /** {@code gather {axis, batch_dims}}(params, indices) (TF's GatherV2); indices are validated. */
    public static final OpDef GATHER = OpDef.op("gather").inputs(2)
            .type((in, a) -> {
                requireIndexDType("gather", "indices", in.get(1).dtype());
                Shape p = in.get(0).shape(), i = in.get(1).shape();
                if (!p.hasRank() || !i.hasRank()) return new TensorType(in.get(0).dtype(), Shape.unknownRank());
                int[] ab = gatherAxes(p, i, a.getLong("axis", 0), a.getLong("batch_dims", 0));
                return new TensorType(in.get(0).dtype(), Gather.shape(p, i, ab[0], ab[1]));
            })
            .kernel1((in, a) -> {
                int[] ab = gatherAxes(in.get(0).shape(), in.get(1).shape(), a.getLong("axis", 0), a.getLong("batch_dims", 0));
                return Gather.gather(in.get(0), in.get(1), ab[0], ab[1]);
            })
            .gradient(ArrayGradients::gather)
            .build();

    /** {@code gather_nd}(params, indices): slices of params addressed by the last dim of indices. */
    public static final OpDef GATHER_ND = OpDef.op("gather_nd").inputs(2)
            .type((in, a) -> {
                requireIndexDType("gather_nd", "indices", in.get(1).dtype());
                Shape p = in.get(0).shape(), i = in.get(1).shape();
                if (!p.hasRank() || !i.hasRank() || (i.rank() > 0 && i.dim(-1) == Shape.UNKNOWN)) {
                    return new TensorType(in.get(0).dtype(), Shape.unknownRank());
                }
                checkGatherNd(p, i);
                return new TensorType(in.get(0).dtype(), Gather.ndShape(p, i));
            })
            .kernel1((in, a) -> {
                checkGatherNd(in.get(0).shape(), in.get(1).shape());
                return Gather.gatherNd(in.get(0), in.get(1));
            })
            .gradient((g, c) -> {
                if (!c.x(0).shape().isFullyKnown()) throw GradientBuilder.needsStaticShape("gather_nd", c.x(0).shape());
                return Arrays.asList(g.emit1(ArrayOps.SCATTER_ND, Attrs.of("shape", c.x(0).shape().dims()), c.x(1), c.dy()), null);
            })
            .build();

    /** {@code scatter_nd {shape}}(indices, updates): zeros of shape with updates added at indices. */
    public static final OpDef SCATTER_ND = OpDef.op("scatter_nd").inputs(2)
            .type((in, a) -> {
                requireIndexDType("scatter_nd", "indices", in.get(0).dtype());
                Shape shape = shapeAttr(a.getLongs("shape"));
                Scatter.checkShapes("scatter_nd", in.get(0).shape(), in.get(1).shape(), shape);
                return new TensorType(in.get(1).dtype(), shape);
            })
            .kernel1((in, a) -> {
                Shape shape = shapeAttr(a.getLongs("shape"));
                Scatter.checkShapes("scatter_nd", in.get(0).shape(), in.get(1).shape(), shape);
                return Scatter.scatterNd(in.get(0), in.get(1), shape);
            })
            .gradient((g, c) -> Arrays.asList(null, g.emit1(ArrayOps.GATHER_ND, Attrs.EMPTY, c.dy(), c.x(0))))
            .build();

    /** {@code tensor_scatter_nd_update}(tensor, indices, updates): a copy of tensor with slices replaced. */
    public static final OpDef TENSOR_SCATTER_ND_UPDATE = OpDef.op("tensor_scatter_nd_update").inputs(3)
            .type((in, a) -> {
                requireIndexDType("tensor_scatter_nd_update", "indices", in.get(1).dtype());
                Elementwise.sameDType("tensor_scatter_nd_update", List.of(in.get(0), in.get(2)));
                Scatter.checkShapes("tensor_scatter_nd_update", in.get(1).shape(), in.get(2).shape(), in.get(0).shape());
                return in.get(0);
            })
            .kernel1((in, a) -> {
                Scatter.checkShapes("tensor_scatter_nd_update", in.get(1).shape(), in.get(2).shape(), in.get(0).shape());
                return Scatter.update(in.get(0), in.get(1), in.get(2));
            })
            .gradient((g, c) -> Arrays.asList(g.emit1(ArrayOps.TENSOR_SCATTER_ND_UPDATE, Attrs.EMPTY, c.dy(), c.x(1), g.zerosLike(c.x(2))), null,
                    g.emit1(ArrayOps.GATHER_ND, Attrs.EMPTY, c.dy(), c.x(1))))
            .build();

    // ------------------------------------------------------------------ where, pad, one_hot

    /** {@code where}(condition) (TF's Where): int64 {@code [n, rank]} coordinates of the true elements. */
    public static final OpDef WHERE = OpDef.op("where").inputs(1)
            .type((in, a) -> {
                DType t = in.get(0).dtype();
                if (t == DType.STRING) throw new DTypeError("where needs a bool or numeric condition, got " + t);
                Shape s = in.get(0).shape();
                return new TensorType(DType.INT64, Shape.of(Shape.UNKNOWN, s.hasRank() ? s.rank() : Shape.UNKNOWN));
            })
            .kernel1((in, a) -> Where.coordinates(in.get(0)))
            .gradient(GradientRule.NONE)
            .build();

    /** {@code select}(condition, x, y) (TF's SelectV2): x where condition, else y, all three broadcast. */
    public static final OpDef SELECT = OpDef.op("select").inputs(3).fusion(OpDef.FusionKind.ELEMENTWISE)
            .type((in, a) -> {
                if (in.get(0).dtype() != DType.BOOL) throw new DTypeError("where's condition must be bool, got " + in.get(0).dtype());
                DType t = Elementwise.sameDType("select", in.subList(1, 3));
                return new TensorType(t, Where.selectShape(in.get(0).shape(), in.get(1).shape(), in.get(2).shape()));
            })
            .kernel1((in, a) -> Where.select(in.get(0), in.get(1), in.get(2)))
            .gradient((g, c) -> Arrays.asList(null, g.sumTo(g.gradWhere(c.x(0), c.dy()), c.x(1)), g.sumTo(g.gradElse(c.x(0), c.dy()), c.x(2))))
            .build();

    /** {@code pad {paddings}}(x, constant) (TF's PadV2): flat paddings {@code [before0, after0, ...]}. */
    public static final OpDef PAD = OpDef.op("pad").inputs(2).fusion(OpDef.FusionKind.BROADCAST_LIKE)
            .type((in, a) -> {
                Elementwise.sameDType("pad", in);
                if (in.get(1).shape().hasRank() && in.get(1).shape().rank() != 0) {
                    throw new InvalidArgumentError("constant_values must be a scalar. Got: " + in.get(1).shape().brief());
                }
                return new TensorType(in.get(0).dtype(), Pad.shape(in.get(0).shape(), a.getLongs("paddings"), Pad.Mode.CONSTANT));
            })
            .kernel1((in, a) -> Pad.constant(in.get(0), a.getLongs("paddings"), in.get(1)))
            .gradient(ArrayGradients::pad)
            .build();

    /** {@code mirror_pad {paddings, mode}} (TF's MirrorPad): REFLECT or SYMMETRIC borders. */
    public static final OpDef MIRROR_PAD = OpDef.op("mirror_pad").inputs(1).fusion(OpDef.FusionKind.BROADCAST_LIKE)
            .type((in, a) -> new TensorType(in.get(0).dtype(),
                    Pad.shape(in.get(0).shape(), a.getLongs("paddings"), mirrorMode(a.getString("mode")))))
            .kernel1((in, a) -> Pad.mirror(in.get(0), a.getLongs("paddings"), mirrorMode(a.getString("mode"))))
            .gradient(GradientRule.of1(ArrayGradients::mirrorPad))
            .build();

    /** {@code one_hot {depth, axis}}(indices, on_value, off_value): on where the index matches, else off. */
    public static final OpDef ONE_HOT = OpDef.op("one_hot").inputs(3)
            .type((in, a) -> {
                DType it = in.get(0).dtype();
                if (it != DType.UINT8 && it != DType.INT32 && it != DType.INT64) {
                    throw new DTypeError("one_hot indices must be uint8, int32 or int64, got " + it);
                }
                DType t = Elementwise.sameDType("one_hot", in.subList(1, 3));
                for (int k = 1; k < 3; k++) {
                    Shape s = in.get(k).shape();
                    if (s.hasRank() && s.rank() != 0) {
                        throw new InvalidArgumentError((k == 1 ? "on_value" : "off_value") + " must be a scalar, but got: " + s.brief());
                    }
                }
                Shape s = in.get(0).shape();
                int depth = oneHotDepth(a.getLong("depth"));
                if (!s.hasRank()) return new TensorType(t, Shape.unknownRank());
                return new TensorType(t, OneHot.shape(s, depth, oneHotAxis(a.getLong("axis", -1), s.rank())));
            })
            .kernel1((in, a) -> OneHot.oneHot(in.get(0), oneHotDepth(a.getLong("depth")),
                    oneHotAxis(a.getLong("axis", -1), in.get(0).shape().rank()), in.get(1), in.get(2)))
            .gradient(GradientRule.NONE)
            .build();

    // ================================================================== shape rules and helpers

    /** A shape given as an attribute: every dim known and non-negative. */
    private static Shape shapeAttr(long[] dims) {
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > Integer.MAX_VALUE) {
                throw new InvalidArgumentError("shape[" + i + "] = " + dims[i] + " must be a non-negative dim, in shape " + Arrays.toString(dims));
            }
        }
        return Shape.of(dims);
    }

    private static DType indexOutType(DType t) {
        if (t != DType.INT32 && t != DType.INT64) throw new DTypeError("out_type must be int32 or int64, got " + t);
        return t;
    }

    private static void requireIndexDType(String op, String what, DType t) {
        if (t != DType.INT32 && t != DType.INT64) {
            throw new DTypeError(op + ": " + what + " must be int32 or int64, got " + t);
        }
    }

    private static List<Shape> shapesOf(List<TensorType> types) {
        List<Shape> l = new ArrayList<>(types.size());
        for (TensorType t : types) l.add(t.shape());
        return l;
    }

    private static List<TensorType> buffersTypes(List<Buffer> in) {
        List<TensorType> l = new ArrayList<>(in.size());
        for (Buffer b : in) l.add(b.type());
        return l;
    }

    static Shape insertDim(Shape s, int axis, int size) {
        int[] d = s.dims();
        int[] out = new int[d.length + 1];
        for (int i = 0, k = 0; i < out.length; i++) out[i] = i == axis ? size : d[k++];
        return Shape.of(out);
    }

    static Shape removeDim(Shape s, int axis) {
        int[] d = s.dims();
        int[] out = new int[d.length - 1];
        for (int i = 0, k = 0; i < d.length; i++) if (i != axis) out[k++] = d[i];
        return Shape.of(out);
    }

    private static Shape expandDims(Shape s, long axis) {
        if (!s.hasRank()) return s;
        int r = s.rank();
        if (axis < -r - 1 || axis > r) {
            throw new InvalidArgumentError("Tried to expand dim index " + axis + " for tensor with " + r + " dimensions.");
        }
        return insertDim(s, (int) (axis < 0 ? axis + r + 1 : axis), 1);
    }

    private static Shape squeeze(Shape s, long[] axes) {
        if (!s.hasRank()) return s;
        int r = s.rank();
        boolean[] drop = new boolean[r];
        if (axes == null || axes.length == 0) {
            for (int i = 0; i < r; i++) {
                if (s.dim(i) == Shape.UNKNOWN) return Shape.unknownRank(); // might be 1: the rank is unknown
                drop[i] = s.dim(i) == 1;
            }
        } else {
            for (long axis : axes) {
                if (axis < -r || axis >= r) {
                    throw new InvalidArgumentError("Tried to squeeze dim index " + axis + " for tensor with " + r + " dimensions.");
                }
                int i = (int) (axis < 0 ? axis + r : axis);
                if (s.dim(i) != 1 && s.dim(i) != Shape.UNKNOWN) {
                    throw new InvalidArgumentError("Can not squeeze dim[" + i + "], expected a dimension of 1, got " + s.dim(i));
                }
                drop[i] = true;
            }
        }
        int[] out = new int[r];
        int k = 0;
        for (int i = 0; i < r; i++) if (!drop[i]) out[k++] = s.dim(i);
        return Shape.of(Arrays.copyOf(out, k));
    }

    private static int[] perm(long[] perm, int rank) {
        int[] p = new int[rank];
        if (perm == null) {
            for (int i = 0; i < rank; i++) p[i] = rank - 1 - i;
            return p;
        }
        if (perm.length != rank) {
            throw new InvalidArgumentError("transpose expects a vector of size " + rank + ". But input(1) is a vector of size " + perm.length);
        }
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < rank; i++) {
            long d = perm[i];
            if (d < 0 || d >= rank) throw new InvalidArgumentError(d + " is out of range [0 .. " + rank + ")");
            p[i] = (int) d;
            seen[(int) d] = true;
        }
        for (int i = 0; i < rank; i++) {
            if (!seen[i]) {
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < rank; k++) sb.append(k > 0 ? "," : "").append(perm[k]);
                throw new InvalidArgumentError(i + " is missing from {" + sb + "}.");
            }
        }
        return p;
    }

    private static Shape tileShape(Shape s, long[] multiples) {
        if (!s.hasRank()) return Shape.unknownDims(multiples.length);
        if (multiples.length != s.rank()) {
            throw new InvalidArgumentError("Expected multiples argument to be a vector of length " + s.rank()
                    + " but got length " + multiples.length);
        }
        int[] out = new int[s.rank()];
        for (int i = 0; i < out.length; i++) {
            if (multiples[i] < 0) throw new InvalidArgumentError("Expected multiples[" + i + "] >= 0, but got " + multiples[i]);
            out[i] = multiples[i] == 0 ? 0 : s.dim(i) == Shape.UNKNOWN ? Shape.UNKNOWN : Math.toIntExact(s.dim(i) * multiples[i]);
        }
        return Shape.of(out);
    }

    private static Shape broadcastTo(Shape in, Shape target) {
        if (!in.hasRank()) return target;
        Shape b = Broadcast.shapes(in, target); // throws "Incompatible shapes: [3] vs. [4]"
        if (b.rank() != target.rank() || !sameOrUnknown(b, target)) {
            throw new InvalidArgumentError("Unable to broadcast tensor of shape " + in.brief() + " to tensor of shape " + target.brief());
        }
        return target;
    }

    private static boolean sameOrUnknown(Shape a, Shape b) {
        for (int i = 0; i < a.rank(); i++) if (a.dim(i) != b.dim(i) && a.dim(i) != Shape.UNKNOWN) return false;
        return true;
    }

    private static boolean[] reverseAxes(long[] axes, int rank) {
        boolean[] rev = new boolean[rank];
        for (int k = 0; k < axes.length; k++) {
            long axis = axes[k];
            if (axis < -rank || axis >= rank) {
                throw new InvalidArgumentError("'axis'[" + k + "] = " + axis + " is out of valid range [" + -rank + ", " + (rank - 1) + "]");
            }
            int i = (int) (axis < 0 ? axis + rank : axis);
            if (rev[i]) throw new InvalidArgumentError("axis " + i + " specified more than once.");
            rev[i] = true;
        }
        return rev;
    }

    private static Shape concatShape(List<Shape> shapes, long axisArg) {
        Shape first = null;
        int firstIndex = 0;
        for (int k = 0; k < shapes.size(); k++) if (shapes.get(k).hasRank()) { first = shapes.get(k); firstIndex = k; break; }
        if (first == null) return Shape.unknownRank();
        int r = first.rank();
        if (r == 0) throw new InvalidArgumentError("Can't concatenate scalars (use tf.stack instead)");
        if (axisArg < -r || axisArg >= r) {
            throw new InvalidArgumentError("ConcatOp : Expected concatenating dimensions in the range [" + -r + ", " + r
                    + "), but got " + axisArg);
        }
        int axis = (int) (axisArg < 0 ? axisArg + r : axisArg);
        int[] out = first.dims();
        out[axis] = 0;
        for (int k = 0; k < shapes.size(); k++) {
            Shape s = shapes.get(k);
            if (!s.hasRank()) { out[axis] = Shape.UNKNOWN; continue; }
            if (s.rank() != r) {
                throw new InvalidArgumentError("ConcatOp : Ranks of all input tensors should match: shape[" + firstIndex + "] = "
                        + first.brief() + " vs. shape[" + k + "] = " + s.brief());
            }
            for (int d = 0; d < r; d++) {
                if (d == axis) continue;
                int a = out[d], b = s.dim(d);
                if (a != Shape.UNKNOWN && b != Shape.UNKNOWN && a != b) {
                    throw new InvalidArgumentError("ConcatOp : Dimension " + d + " in both shapes must be equal: shape[" + firstIndex
                            + "] = " + first.brief() + " vs. shape[" + k + "] = " + s.brief());
                }
                if (a == Shape.UNKNOWN) out[d] = b;
            }
            out[axis] = out[axis] == Shape.UNKNOWN || s.dim(axis) == Shape.UNKNOWN ? Shape.UNKNOWN : out[axis] + s.dim(axis);
        }
        return Shape.of(out);
    }

    private static Buffer concat(List<Buffer> in, long axisArg) {
        Shape outShape = concatShape(shapesOf(buffersTypes(in)), axisArg);
        int axis = (int) (axisArg < 0 ? axisArg + outShape.rank() : axisArg);
        Buffer out = Buffer.allocate(in.get(0).dtype(), outShape);
        long[] strides = outShape.strides();
        long at = 0;
        for (Buffer b : in) {
            StridedCopy.write(b, out, at * strides[axis], strides);
            at += b.shape().dim(axis);
        }
        return out;
    }

    private static Shape stackedItemShape(List<Shape> shapes) {
        Shape common = null;
        int firstIndex = 0;
        for (int k = 0; k < shapes.size(); k++) {
            Shape s = shapes.get(k);
            if (!s.hasRank()) continue;
            if (common == null) { common = s; firstIndex = k; continue; }
            if (s.rank() != common.rank() || !sameOrUnknown(s, common) && !sameOrUnknown(common, s)) {
                throw new InvalidArgumentError("Shapes of all inputs must match: values[" + firstIndex + "].shape = "
                        + common.brief() + " != values[" + k + "].shape = " + s.brief());
            }
            int[] d = common.dims();
            for (int i = 0; i < d.length; i++) if (d[i] == Shape.UNKNOWN) d[i] = s.dim(i);
            common = Shape.of(d);
        }
        return common == null ? Shape.unknownRank() : common;
    }

    private static int unstackCount(Shape s, int axis, int num) {
        int dim = s.dim(axis);
        if (num < 0) {
            if (dim == Shape.UNKNOWN) throw new ShapeError("Cannot infer argument `num` from shape " + s);
            return dim;
        }
        if (dim != Shape.UNKNOWN && dim != num) {
            throw new InvalidArgumentError("Input shape axis " + axis + " must equal " + num + ", got shape " + s.brief());
        }
        return num;
    }

    private static long[] evenSizes(Shape s, long axisArg, long num) {
        if (num <= 0) throw new InvalidArgumentError("Number of ways to split should be > 0, but got " + num);
        long[] sizes = new long[(int) num];
        if (!s.hasRank()) { Arrays.fill(sizes, Shape.UNKNOWN); return sizes; }
        int axis = Axes.normalize(axisArg, s.rank(), "-input rank(-" + s.rank() + ") <= split_dim < input rank (" + s.rank() + "), but got ");
        int dim = s.dim(axis);
        if (dim != Shape.UNKNOWN && dim % num != 0) {
            throw new InvalidArgumentError("Number of ways to split should evenly divide the split dimension, but got split_dim "
                    + axis + " (size = " + dim + ") and num_split " + num);
        }
        Arrays.fill(sizes, dim == Shape.UNKNOWN ? Shape.UNKNOWN : dim / num);
        return sizes;
    }

    private static long[] givenSizes(Shape s, long axisArg, long[] sizesArg) {
        long[] sizes = sizesArg.clone();
        int inferred = -1;
        long known = 0;
        for (int k = 0; k < sizes.length; k++) {
            if (sizes[k] == -1) {
                if (inferred != -1) throw new InvalidArgumentError("There can only be one -1 in the input.");
                inferred = k;
            } else if (sizes[k] < 0) {
                throw new InvalidArgumentError("Split size at index " + k + " must be >= 0. Got: " + sizes[k]);
            } else {
                known += sizes[k];
            }
        }
        if (!s.hasRank()) return sizes;
        int axis = Axes.normalize(axisArg, s.rank(), "-input rank(-" + s.rank() + ") <= split_dim < input rank (" + s.rank() + "), but got ");
        int dim = s.dim(axis);
        if (dim == Shape.UNKNOWN) return sizes;
        if ((inferred == -1 && known != dim) || (inferred != -1 && known > dim)) {
            throw new InvalidArgumentError("Determined shape must either match input shape along split_dim exactly if fully "
                    + "specified, or be less than the size of the input along split_dim if not fully specified.  Got: " + known);
        }
        if (inferred != -1) sizes[inferred] = dim - known;
        return sizes;
    }

    private static List<TensorType> splitTypes(TensorType x, long axisArg, long[] sizes) {
        List<TensorType> out = new ArrayList<>(sizes.length);
        Shape s = x.shape();
        for (long size : sizes) {
            out.add(new TensorType(x.dtype(), s.hasRank() ? s.withDim((int) (axisArg < 0 ? axisArg + s.rank() : axisArg), (int) size) : s));
        }
        return out;
    }

    private static List<Buffer> splitKernel(Buffer x, long axisArg, long[] sizes) {
        Shape s = x.shape();
        int axis = (int) (axisArg < 0 ? axisArg + s.rank() : axisArg);
        long[] strides = s.strides();
        List<Buffer> out = new ArrayList<>(sizes.length);
        long at = 0;
        for (long size : sizes) {
            out.add(StridedCopy.read(x, at * strides[axis], strides, s.withDim(axis, (int) size)));
            at += size;
        }
        return out;
    }

    private static Shape sliceShape(Shape s, long[] begin, long[] size) {
        if (!s.hasRank()) return Shape.unknownDims(begin.length);
        int r = s.rank();
        if (begin.length != r || size.length != r) {
            throw new InvalidArgumentError("Expected begin and size arguments to be 1-D tensors of size " + r
                    + ", but got shapes [" + begin.length + "] and [" + size.length + "] instead.");
        }
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int dim = s.dim(i);
            if (dim == Shape.UNKNOWN) {
                out[i] = size[i] == -1 ? Shape.UNKNOWN : (int) size[i];
                continue;
            }
            long b = begin[i];
            long n = size[i] == -1 ? dim - b : size[i];
            if (b < 0 || b > dim) throw new InvalidArgumentError("Expected begin[" + i + "] in [0, " + dim + "], but got " + b);
            if (n < 0 || n > dim - b) {
                throw new InvalidArgumentError("Expected size[" + i + "] in [0, " + (dim - b) + "], but got " + size[i]);
            }
            out[i] = (int) n;
        }
        return Shape.of(out);
    }

    private static void checkSliceValue(Shape slice, Shape value) {
        if (!value.hasRank()) return;
        if (slice.rank() != value.rank() || !sameOrUnknown(slice, value) && !sameOrUnknown(value, slice)) {
            throw new InvalidArgumentError("sliced l-value shape " + slice.brief() + " does not match r-value shape "
                    + value.brief() + ". Automatic broadcasting not yet implemented.");
        }
    }

    /** {axis, batch_dims} made non-negative and checked as TF's GatherV2 does. */
    private static int[] gatherAxes(Shape params, Shape indices, long axisArg, long batchArg) {
        int pr = params.rank(), ir = indices.rank();
        int axis = Axes.normalize(axisArg, Math.max(pr, 1));
        if (pr == 0) throw new InvalidArgumentError("params must be at least 1 dimensional");
        long bd = batchArg < 0 ? batchArg + ir : batchArg;
        if (bd < 0 || bd > ir) {
            throw new InvalidArgumentError("Expected batch_dims in the range [" + -ir + ", " + ir + "], but got " + batchArg);
        }
        if (bd > axis) {
            throw new InvalidArgumentError("batch_dims (" + bd + ") must be less than or equal to axis (" + axis + ").");
        }
        for (int i = 0; i < bd; i++) {
            int p = params.dim(i), q = indices.dim(i);
            if (p != Shape.UNKNOWN && q != Shape.UNKNOWN && p != q) {
                throw new InvalidArgumentError("params.shape[" + i + "]: " + p + " should be equal to indices.shape[" + i + "]: " + q);
            }
        }
        return new int[] {axis, (int) bd};
    }

    private static void checkGatherNd(Shape params, Shape indices) {
        if (indices.rank() < 1) throw new InvalidArgumentError("indices must be at least a vector, got shape " + indices.brief());
        int depth = indices.dim(-1);
        if (depth > params.rank()) {
            throw new InvalidArgumentError("index innermost dimension length must be <= params rank; saw: " + depth + " vs. "
                    + params.rank());
        }
    }

    private static Pad.Mode mirrorMode(String mode) {
        Pad.Mode m = Pad.Mode.of(mode);
        if (m == Pad.Mode.CONSTANT) throw new InvalidArgumentError("mirror_pad mode must be REFLECT or SYMMETRIC, got " + mode);
        return m;
    }

    private static int oneHotDepth(long depth) {
        if (depth < 0) throw new InvalidArgumentError("depth must be non-negative, got: " + depth);
        return Math.toIntExact(depth);
    }

    private static int oneHotAxis(long axis, int indicesRank) {
        int outRank = indicesRank + 1;
        if (axis != -1 && (axis < 0 || axis >= outRank)) {
            throw new InvalidArgumentError("Expected axis to be -1 or between [0, " + outRank + ").  But received: " + axis);
        }
        return (int) (axis == -1 ? indicesRank : axis);
    }
}
