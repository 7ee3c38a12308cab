package dev.tfjit.tracer;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TfException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (version 1.0 and 2.0, C order, little-endian), so data moves
 * between tfjit and NumPy users. String tensors have no npy form and are rejected.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    public static Buffer read(Path file) {
        try {
            return decode(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new TfException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static void write(Path file, Buffer b) {
        try {
            Files.write(file, encode(b));
        } catch (IOException e) {
            throw new TfException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public static Buffer decode(byte[] bytes, String name) {
        if (bytes.length < 10 || !java.util.Arrays.equals(bytes, 0, 6, MAGIC, 0, 6)) {
            throw new TfException(name + " is not a .npy file");
        }
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(bb.getShort(8));
            start = 10;
        } else if (major == 2 || major == 3) {
            headerLen = bb.getInt(8);
            start = 12;
        } else {
            throw new TfException(name + ": unsupported .npy version " + major);
        }
        if (start + headerLen > bytes.length) throw new TfException(name + ": truncated .npy header");
        String header = new String(bytes, start, headerLen, StandardCharsets.ISO_8859_1);
        DType dtype = dtypeOf(group(DESCR, header, name), name);
        if (group(ORDER, header, name).equals("True")) throw new TfException(name + ": Fortran-order .npy files are not supported");
        Shape shape = parseShape(group(SHAPE, header, name), name);
        int dataStart = start + headerLen;
        long need;
        try {
            need = Math.multiplyExact(shape.numElements(), (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new TfException(name + ": shape " + shape + " is too large");
        }
        if (bytes.length - dataStart < need) {
            throw new TfException(name + ": holds " + (bytes.length - dataStart) + " data bytes, shape " + shape + " of " + dtype + " needs " + need);
        }
        Buffer b = Buffer.allocate(dtype, shape);
        MemorySegment.copy(MemorySegment.ofArray(bytes), dataStart, b.segment(), 0, need);
        return b;
    }

    public static byte[] encode(Buffer b) {
        if (b.dtype() == DType.STRING) throw new TfException("string tensors cannot be saved as .npy");
        StringBuilder shape = new StringBuilder();
        for (int d : b.shape().dims()) shape.append(d).append(", ");
        if (b.shape().rank() > 1) shape.setLength(shape.length() - 2);
        else if (b.shape().rank() == 1) shape.setLength(shape.length() - 1);
        String dict = "{'descr': '" + descrOf(b.dtype()) + "', 'fortran_order': False, 'shape': (" + shape + "), }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        if (pad == 64) pad = 0;
        String header = dict + " ".repeat(pad) + "\n";
        long dataBytes = b.size() * b.dtype().byteSize();
        byte[] out = new byte[Math.toIntExact(10 + header.length() + dataBytes)];
        System.arraycopy(MAGIC, 0, out, 0, 6);
        out[6] = 1;
        out[7] = 0;
        out[8] = (byte) header.length();
        out[9] = (byte) (header.length() >> 8);
        System.arraycopy(header.getBytes(StandardCharsets.ISO_8859_1), 0, out, 10, header.length());
        MemorySegment.copy(b.segment(), 0, MemorySegment.ofArray(out), 10 + header.length(), dataBytes);
        return out;
    }

    private static String group(Pattern p, String header, String name) {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new TfException(name + ": malformed .npy header " + header.strip());
        return m.group(1);
    }

    private static Shape parseShape(String s, String name) {
        List<Integer> dims = new ArrayList<>();
        for (String part : s.split(",")) {
            String t = part.strip();
            if (t.isEmpty()) continue;
            int d;
            try {
                d = Integer.parseInt(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
            } catch (NumberFormatException e) {
                throw new TfException(name + ": bad shape (" + s + ")");
            }
            if (d < 0) throw new TfException(name + ": bad shape (" + s + ")");
            dims.add(d);
        }
        return Shape.of(dims.stream().mapToInt(Integer::intValue).toArray());
    }

    private static DType dtypeOf(String descr, String name) {
        return switch (descr) {
            case "|b1" -> DType.BOOL;
            case "|i1", "<i1" -> DType.INT8;
            case "|u1", "<u1" -> DType.UINT8;
            case "<i2" -> DType.INT16;
            case "<i4" -> DType.INT32;
            case "<i8" -> DType.INT64;
            case "<f2" -> DType.FLOAT16;
            case "<f4" -> DType.FLOAT32;
            case "<f8" -> DType.FLOAT64;
            default -> throw new TfException(name + ": unsupported .npy dtype '" + descr + "'");
        };
    }

    private static String descrOf(DType t) {
        return switch (t) {
            case BOOL -> "|b1";
            case INT8 -> "|i1";
            case UINT8 -> "|u1";
            case INT16 -> "<i2";
            case INT32 -> "<i4";
            case INT64 -> "<i8";
            case FLOAT16 -> "<f2";
            case FLOAT32 -> "<f4";
            case FLOAT64 -> "<f8";
            case BFLOAT16 -> throw new TfException("bfloat16 has no .npy dtype; cast to float32 first");
            case STRING -> throw new TfException("string tensors cannot be saved as .npy");
        };
    }

}
