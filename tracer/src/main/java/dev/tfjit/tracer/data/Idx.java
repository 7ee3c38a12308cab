package dev.tfjit.tracer.data;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.Shape;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a magic number (two zero bytes, a
 * type code, the number of dims), each dim as a big-endian int32, then the data. Files may be
 * gzipped ({@code *-ubyte.gz}); only unsigned-byte data (type 0x08) is supported, which is
 * all these data sets use.
 */
public final class Idx {
    private static final int UNSIGNED_BYTE = 0x08;

    private Idx() {}

    /** The file's array as a uint8 buffer of its shape. */
    public static Buffer read(Path file) {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
             DataInputStream in = new DataInputStream(gunzipIfNeeded(raw))) {
            int magic = in.readInt();
            if ((magic >>> 16) != 0) throw bad(file, String.format("bad magic number 0x%08x: not an IDX file", magic));
            int type = (magic >>> 8) & 0xff;
            int rank = magic & 0xff;
            if (type != UNSIGNED_BYTE) throw bad(file, String.format("element type 0x%02x is not supported (only unsigned bytes, 0x08)", type));
            int[] dims = new int[rank];
            long n = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                if (dims[i] < 0) throw bad(file, "negative dim " + dims[i]);
                n *= dims[i];
            }
            if (n > Integer.MAX_VALUE - 64) throw bad(file, "too large: " + n + " elements");
            byte[] data = new byte[(int) n];
            in.readFully(data);
            if (in.read() != -1) throw bad(file, "has bytes after the " + n + " its header announces");
            Buffer b = Buffer.allocate(DType.UINT8, Shape.of(dims));
            b.segment().copyFrom(MemorySegment.ofArray(data));
            return b;
        } catch (EOFException e) {
            throw bad(file, "truncated: it ends before the data its header announces");
        } catch (IOException e) {
            throw new InvalidArgumentError("cannot read IDX file " + file + ": " + e);
        }
    }

    /** Writes a uint8 buffer as an (uncompressed) IDX file; for tests and small data sets. */
    public static void write(Path file, Buffer b) {
        if (b.dtype() != DType.UINT8) throw new InvalidArgumentError("IDX files hold uint8 here, got " + b.dtype());
        try (var out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt((UNSIGNED_BYTE << 8) | b.shape().rank());
            for (int d : b.shape().dims()) out.writeInt(d);
            out.write(b.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        } catch (IOException e) {
            throw new InvalidArgumentError("cannot write IDX file " + file + ": " + e);
        }
    }

    private static InputStream gunzipIfNeeded(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new BufferedInputStream(new GZIPInputStream(in)) : in;
    }

    private static InvalidArgumentError bad(Path file, String why) {
        return new InvalidArgumentError("IDX file " + file + ": " + why);
    }
}
