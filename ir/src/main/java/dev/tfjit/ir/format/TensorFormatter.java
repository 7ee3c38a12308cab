package dev.tfjit.ir.format;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;

import java.util.ArrayList;
import java.util.List;

/**
 * Prints eager tensors the way TensorFlow 2 does, which is NumPy's array printing inside
 * TensorFlow's wrapper ({@code tf.Tensor(<str(array)>, shape=..., dtype=...)}, with the array
 * starting on its own line when it spans several).
 *
 * <p>NumPy's defaults apply: precision 8 with unique shortest digits, line width 75,
 * summarization with {@code ...} above 1000 elements keeping 3 items at each edge.
 */
public final class TensorFormatter {
    private TensorFormatter() {}

    /** {@code str(tensor)}: {@code tf.Tensor([1. 2.], shape=(2,), dtype=float32)}. */
    public static String format(Buffer b) {
        return "tf.Tensor(" + onOwnLineIfMultiline(numpyStr(b)) + ", shape=" + b.shape() + ", dtype=" + b.dtype() + ")";
    }

    /** {@code repr(tensor)}: {@code <tf.Tensor: shape=(2,), dtype=float32, numpy=array([1., 2.], dtype=float32)>}. */
    public static String repr(Buffer b) {
        return "<tf.Tensor: shape=" + b.shape() + ", dtype=" + b.dtype() + ", numpy=" + onOwnLineIfMultiline(numpyRepr(b)) + ">";
    }

    /** {@code str(tensor.numpy())}: {@code [[1. 2.]\n [3. 4.]]}; a scalar as NumPy's scalar str ({@code 3.0}). */
    public static String numpyStr(Buffer b) {
        if (b.shape().rank() == 0) return ElementFormat.scalarText(b);
        return arrayText(b, " ", "", 0);
    }

    /**
     * {@code repr(tensor.numpy())}: {@code array([1., 2.], dtype=float32)}, the dtype omitted
     * where NumPy implies it (float64, int64, bool). A rank-0 tensor's {@code numpy()} is a NumPy
     * scalar, whose repr is {@code 3.0}.
     */
    public static String numpyRepr(Buffer b) {
        if (b.shape().rank() == 0) return ElementFormat.scalarText(b);
        String prefix = "array(";
        String body = arrayText(b, ", ", prefix, ")".length());
        List<String> extras = new ArrayList<>();
        boolean empty = b.size() == 0;
        if (empty && !(b.shape().rank() == 1)) extras.add("shape=" + b.shape());
        if (!dtypeIsImplied(b.dtype()) || empty) extras.add("dtype=" + numpyDtypeName(b.dtype()));
        if (extras.isEmpty()) return prefix + body + ")";

        String head = prefix + body + ",";
        String extra = String.join(", ", extras) + ")";
        int lastLineLength = head.length() - (head.lastIndexOf('\n') + 1);
        String spacer = lastLineLength + extra.length() + 1 > ArrayLayout.LINE_WIDTH ? "\n" + " ".repeat(prefix.length()) : " ";
        return head + spacer + extra;
    }

    private static String arrayText(Buffer b, String separator, String prefix, int suffixLength) {
        if (b.size() == 0) return "[]";
        ArrayLayout layout = new ArrayLayout(b.shape().dims(), separator, " " + " ".repeat(prefix.length()),
                ArrayLayout.LINE_WIDTH - suffixLength, ArrayLayout.needsSummary(b.size()));
        ElementFormat element = ElementFormat.of(b, layout.shownIndices());
        return layout.format(i -> element.format(b, i));
    }

    private static String onOwnLineIfMultiline(String text) { return text.contains("\n") ? "\n" + text : text; }

    private static boolean dtypeIsImplied(DType dtype) {
        return dtype == DType.FLOAT64 || dtype == DType.INT64 || dtype == DType.BOOL;
    }

    /** TensorFlow's strings are NumPy object arrays of bytes. */
    private static String numpyDtypeName(DType dtype) { return dtype == DType.STRING ? "object" : dtype.tfName(); }
}
