package dev.tfjit.tracer.data;

import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;
import dev.tfjit.tracer.Function;
import dev.tfjit.tracer.Tensor;
import dev.tfjit.tracer.TensorSpec;
import dev.tfjit.tracer.Tf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where dataset elements come from, and the element specs known before anything runs. */
class DatasetSourcesTest {

    static long[] longs(Dataset<Tensor> ds) {
        List<Tensor> all = ds.toList();
        long[] out = new long[all.size()];
        for (int i = 0; i < out.length; i++) out[i] = all.get(i).longValue();
        return out;
    }

    @Test
    void rangeCountsLikePythonsRange() {
        assertArrayEquals(new long[] {0, 1, 2, 3, 4}, longs(Dataset.range(5)));
        assertArrayEquals(new long[] {2, 5, 8}, longs(Dataset.range(2, 10, 3)));
        assertArrayEquals(new long[] {5, 3, 1}, longs(Dataset.range(5, 0, -2)));
        assertArrayEquals(new long[] {}, longs(Dataset.range(0)));
        assertEquals(ElementSpec.of(DType.INT64), Dataset.range(3).elementSpec());
        assertThrows(InvalidArgumentError.class, () -> Dataset.range(0, 5, 0));
    }

    @Test
    void tensorSlicesSplitTheFirstDim() {
        Dataset<Tensor> ds = Dataset.fromTensorSlices(Tf.constant(new float[][] {{1, 2}, {3, 4}, {5, 6}}));
        assertEquals(ElementSpec.of(DType.FLOAT32, 2), ds.elementSpec());
        List<Tensor> rows = ds.toList();
        assertEquals(3, rows.size());
        assertArrayEquals(new float[] {3, 4}, rows.get(1).toFloatArray());
        assertEquals(Shape.of(2), rows.get(1).shape());
    }

    @Test
    void tupleSlicesKeepComponentsTogether() {
        Dataset<List<Tensor>> ds = Dataset.fromTensorSlices(Tf.constant(new int[] {1, 2, 3}), Tf.constant(new String[] {"a", "b", "c"}));
        List<List<Tensor>> all = ds.toList();
        assertEquals(3, all.size());
        assertEquals(2, all.get(1).get(0).intValue());
        assertEquals("b", all.get(1).get(1).stringValue());
        assertEquals(List.of(TensorSpec.of(DType.INT32), TensorSpec.of(DType.STRING)), ds.elementSpec().components());
    }

    @Test
    void mapsOfNamedTensorsKeepTheirKeys() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("x", Tf.constant(new float[][] {{1}, {2}}));
        m.put("label", Tf.constant(new long[] {7, 8}));
        Dataset<Map<String, Tensor>> ds = Dataset.fromTensorSlices(m);
        List<Map<String, Tensor>> all = ds.toList();
        assertEquals(List.of("x", "label"), List.copyOf(all.get(1).keySet()));
        assertEquals(8, all.get(1).get("label").longValue());
        assertArrayEquals(new float[] {2}, all.get(1).get("x").toFloatArray());
        assertEquals("{x=TensorSpec(shape=(1,), dtype=float32), label=TensorSpec(shape=(), dtype=int64)}", ds.elementSpec().toString());
    }

    @Test
    void slicesOfDifferentLengthsAndScalarsAreRefused() {
        InvalidArgumentError e = assertThrows(InvalidArgumentError.class,
                () -> Dataset.fromTensorSlices(Tf.constant(new int[] {1, 2, 3}), Tf.constant(new int[] {1, 2})));
        assertTrue(e.getMessage().contains("Dimensions 3 and 2 are not compatible"), e.getMessage());
        InvalidArgumentError s = assertThrows(InvalidArgumentError.class, () -> Dataset.fromTensorSlices(Tf.constant(1f)));
        assertTrue(s.getMessage().contains("only supported for rank >= 1"), s.getMessage());
    }

    @Test
    void emptyTensorsGiveEmptyDatasets() {
        Dataset<Tensor> ds = Dataset.fromTensorSlices(Tf.zeros(new int[] {0, 3}, DType.FLOAT32));
        assertEquals(0, ds.toList().size());
        assertEquals(ElementSpec.of(DType.FLOAT32, 3), ds.elementSpec());
    }

    @Test
    void fromTensorsIsOneElement() {
        List<Tensor> all = Dataset.fromTensors(Tf.constant(new int[] {1, 2})).toList();
        assertEquals(1, all.size());
        assertArrayEquals(new int[] {1, 2}, all.get(0).toIntArray());
    }

    @Test
    void javaCollectionsAreConvertedToTheSpecsDtype() {
        ElementSpec spec = ElementSpec.tuple(TensorSpec.of(DType.FLOAT32, 2), TensorSpec.of(DType.INT64));
        Dataset<List<Tensor>> ds = Dataset.fromIterable(List.of(List.of(new double[] {1, 2}, 3), List.of(new double[] {4, 5}, 6)), spec);
        List<List<Tensor>> all = ds.toList();
        assertEquals(DType.FLOAT32, all.get(0).get(0).dtype());
        assertArrayEquals(new float[] {4, 5}, all.get(1).get(0).toFloatArray());
        assertEquals(6L, all.get(1).get(1).longValue());
        assertEquals(DType.INT64, all.get(1).get(1).dtype());
    }

    @Test
    void elementsThatDoNotFitTheSpecAreClearErrors() {
        ElementSpec spec = ElementSpec.of(DType.INT32, 2);
        Dataset<Tensor> wrongDtype = Dataset.fromIterable(List.of(Tf.constant(new int[] {1, 2}), Tf.constant(new float[] {1, 2})), spec);
        TfException e = assertThrows(TfException.class, wrongDtype::toList);
        assertTrue(e.getMessage().contains("element 1") && e.getMessage().contains("float32"), e.getMessage());

        Dataset<Tensor> wrongShape = Dataset.fromIterable(List.of(Tf.constant(new int[] {1, 2, 3})), spec);
        TfException s = assertThrows(TfException.class, wrongShape::toList);
        assertTrue(s.getMessage().contains("element 0") && s.getMessage().contains("(3,)"), s.getMessage());

        Dataset<List<Tensor>> wrongNesting = Dataset.fromIterable(List.of(Tf.constant(1)), ElementSpec.tuple(TensorSpec.of(DType.INT32)));
        assertThrows(TfException.class, wrongNesting::toList);
    }

    @Test
    void generatorsAreCalledAgainForEachPass() {
        AtomicInteger calls = new AtomicInteger();
        Dataset<Tensor> ds = Dataset.fromGenerator(() -> {
            calls.incrementAndGet();
            return List.<Object>of(1, 2, 3).iterator();
        }, ElementSpec.of(DType.INT32));
        assertEquals(0, calls.get(), "building a pipeline runs nothing");
        assertEquals(3, ds.toList().size());
        assertEquals(3, ds.toList().size());
        assertEquals(2, calls.get());
    }

    @Test
    void textLinesDropLineEndingsAndFollowFileOrder(@TempDir Path dir) throws IOException {
        Path a = Files.writeString(dir.resolve("a.txt"), "first\nsecond\r\n\nlast");
        Path b = Files.writeString(dir.resolve("b.txt"), "b1\n");
        List<String> lines = new ArrayList<>();
        for (Tensor t : Dataset.textLines(a, b)) lines.add(t.stringValue());
        assertEquals(List.of("first", "second", "", "last", "b1"), lines);
        TfException e = assertThrows(TfException.class, () -> Dataset.textLines(dir.resolve("missing.txt")).toList());
        assertTrue(e.getMessage().contains("missing.txt"), e.getMessage());
    }

    @Test
    void npyFilesGiveTheirRowsOrOneElementEach(@TempDir Path dir) {
        Path p = dir.resolve("x.npy");
        Tf.save(p, Tf.constant(new int[][] {{1, 2}, {3, 4}, {5, 6}}));
        List<Tensor> rows = Dataset.fromNpy(p).toList();
        assertArrayEquals(new int[] {5, 6}, rows.get(2).toIntArray());

        Path q = dir.resolve("y.npy");
        Tf.save(q, Tf.constant(new int[][] {{7, 8}, {9, 10}, {11, 12}}));
        Dataset<Tensor> files = Dataset.fromNpyFiles(List.of(p, q), TensorSpec.of(DType.INT32, 3, 2));
        List<Tensor> whole = files.toList();
        assertEquals(2, whole.size());
        assertArrayEquals(new int[] {7, 8, 9, 10, 11, 12}, whole.get(1).toIntArray());
    }

    @Test
    void iteratingInsideATracedFunctionIsRefusedWithAClearError() {
        Dataset<Tensor> ds = Dataset.range(3);
        Function f = Function.of((Tensor x) -> {
            Tensor s = x;
            for (Tensor e : ds) s = s.add(e);
            return s;
        });
        TfException e = assertThrows(TfException.class, () -> f.call(Tf.constant(0L)));
        assertTrue(e.getMessage().contains("cannot be iterated with a Java loop in code that AutoGraph did not convert, while a Function is traced"),
                e.getMessage());
    }
}
