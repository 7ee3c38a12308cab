package dev.tfjit.ir.ops;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Type rules of the sparse, ragged, TensorArray, Unicode and set ops on partial shapes, as tracing needs them. */
class DataStructureTypeRulesTest {
    private static final int U = Shape.UNKNOWN;

    private static TensorType t(DType d, int... dims) { return new TensorType(d, Shape.of(dims)); }

    private static List<TensorType> types(OpDef op, Attrs attrs, TensorType... in) { return op.inferTypes(List.of(in), attrs); }

    @Test
    void sparseOpsKnowTheRankFromTheDenseShapeVector() {
        TensorType idx = t(DType.INT64, U, 2), vals = t(DType.FLOAT32, U), shape = t(DType.INT64, 2);
        assertEquals(Shape.of(U, U), types(SparseOps.SPARSE_TO_DENSE, Attrs.EMPTY, idx, shape, vals, t(DType.FLOAT32)).get(0).shape());
        assertEquals(List.of(idx, vals), types(SparseOps.SPARSE_REORDER, Attrs.EMPTY, idx, vals, shape));
        assertEquals(t(DType.FLOAT32, U, 7), types(SparseOps.SPARSE_TENSOR_DENSE_MATMUL, Attrs.EMPTY, idx, vals, shape, t(DType.FLOAT32, U, 7)).get(0));
        assertEquals(t(DType.FLOAT32, U, 1), types(SparseOps.SPARSE_REDUCE_SUM, Attrs.of("axes", new int[] {1}, "keep_dims", true), idx, vals, shape).get(0));
        assertEquals(Shape.SCALAR, types(SparseOps.SPARSE_REDUCE_SUM, Attrs.EMPTY, idx, vals, shape).get(0).shape());
        List<TensorType> sum = types(SparseOps.SPARSE_ADD, Attrs.EMPTY, idx, vals, shape, idx, vals, shape, t(DType.FLOAT32));
        assertEquals(List.of(t(DType.INT64, U, 2), t(DType.FLOAT32, U), t(DType.INT64, 2)), sum);
    }

    @Test
    void sparseTripleErrorsNameTheOp() {
        var e = assertThrows(DTypeError.class, () -> types(SparseOps.SPARSE_REORDER, Attrs.EMPTY, t(DType.INT32, 1, 2), t(DType.FLOAT32, 1), t(DType.INT64, 2)));
        assertTrue(e.getMessage().contains("sparse_reorder"), e.getMessage());
        assertThrows(InvalidArgumentError.class, () -> types(SparseOps.SPARSE_REORDER, Attrs.EMPTY, t(DType.INT64, 3, 2), t(DType.FLOAT32, 2), t(DType.INT64, 2)));
        assertThrows(InvalidArgumentError.class, () -> types(SparseOps.SPARSE_REORDER, Attrs.EMPTY, t(DType.INT64, 3, 2), t(DType.FLOAT32, 3), t(DType.INT64, 3)));
        assertThrows(DTypeError.class, () -> types(SparseOps.SPARSE_TENSOR_DENSE_ADD, Attrs.EMPTY,
                t(DType.INT64, U, 2), t(DType.FLOAT32, U), t(DType.INT64, 2), t(DType.FLOAT64, 2, 2)));
    }

    @Test
    void raggedOpsKeepInnerDimsAndLeaveTheRaggedDimUnknown() {
        assertEquals(t(DType.FLOAT32, 3, U, 4), types(RaggedOps.RAGGED_TO_TENSOR, Attrs.EMPTY, t(DType.FLOAT32, U, 4), t(DType.INT64, 4), t(DType.FLOAT32)).get(0));
        assertEquals(t(DType.FLOAT32, U, U), types(RaggedOps.RAGGED_TO_TENSOR, Attrs.EMPTY, t(DType.FLOAT32, U), t(DType.INT64, U), t(DType.FLOAT32)).get(0));
        List<TensorType> cat = types(RaggedOps.RAGGED_CONCAT_ROWS, Attrs.EMPTY, t(DType.INT32, U), t(DType.INT64, 3), t(DType.INT32, 5), t(DType.INT64, U));
        assertEquals(List.of(t(DType.INT32, U), t(DType.INT64, 3)), cat);
        assertThrows(DTypeError.class, () -> types(RaggedOps.RAGGED_CHECK_SPLITS, Attrs.EMPTY, t(DType.INT32, 3), t(DType.INT32, 2)));
    }

    @Test
    void tensorArrayWriteKeepsOrWidensTheStackedShape() {
        TensorType stacked = t(DType.FLOAT32, 5, U);
        assertEquals(stacked, types(TensorArrayOps.TENSOR_ARRAY_WRITE, Attrs.EMPTY, stacked, t(DType.INT32), t(DType.FLOAT32, 3)).get(0));
        assertEquals(t(DType.FLOAT32, U, U), types(TensorArrayOps.TENSOR_ARRAY_WRITE, Attrs.of("dynamic_size", true), stacked, t(DType.INT32), t(DType.FLOAT32, 3)).get(0));
        assertEquals(t(DType.FLOAT32, U), types(TensorArrayOps.TENSOR_ARRAY_READ, Attrs.EMPTY, stacked, t(DType.INT64)).get(0));
        assertThrows(InvalidArgumentError.class, () -> types(TensorArrayOps.TENSOR_ARRAY_WRITE, Attrs.EMPTY, t(DType.FLOAT32, 5, 2), t(DType.INT32), t(DType.FLOAT32, 3)));
        assertThrows(DTypeError.class, () -> types(TensorArrayOps.TENSOR_ARRAY_READ, Attrs.EMPTY, stacked, t(DType.FLOAT32)));
    }

    @Test
    void unicodeAndSetOpsGiveRaggedAndSparseComponents() {
        List<TensorType> dec = types(UnicodeOps.UNICODE_DECODE, Attrs.EMPTY, t(DType.STRING, 3));
        assertEquals(List.of(t(DType.INT64, 4), t(DType.INT32, U)), dec);
        assertEquals(t(DType.INT64, U), types(UnicodeOps.UNICODE_DECODE, Attrs.EMPTY, t(DType.STRING, U)).get(0));
        assertEquals(t(DType.STRING, 3), types(UnicodeOps.UNICODE_ENCODE, Attrs.EMPTY, t(DType.INT32, U), t(DType.INT64, 4)).get(0));
        List<TensorType> set = types(SetOps.DENSE_TO_DENSE_SET_OPERATION, Attrs.of("set_operation", "union"), t(DType.INT32, U, 3), t(DType.INT32, U, 2));
        assertEquals(List.of(t(DType.INT64, U, 2), t(DType.INT32, U), t(DType.INT64, 2)), set);
        assertThrows(InvalidArgumentError.class, () -> types(SetOps.DENSE_TO_DENSE_SET_OPERATION, Attrs.of("set_operation", "xor"), t(DType.INT32, 1, 3), t(DType.INT32, 1, 2)));
        assertEquals(t(DType.INT32, U), types(SetOps.SET_SIZE, Attrs.EMPTY, t(DType.INT64, U, 2), t(DType.INT32, U), t(DType.INT64, 2)).get(0));
    }
}
