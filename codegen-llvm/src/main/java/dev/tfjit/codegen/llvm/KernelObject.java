package dev.tfjit.codegen.llvm;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a compiled function needs besides its argument types to run in another JVM: the entry
 * symbol, the object code that defines it (one object per section it was compiled in, see
 * {@link FunctionEmitter}), the scratch size and the run-time error sites. Serialized as the
 * payload of a kernel cache entry (the cache adds the integrity hash).
 */
record KernelObject(String symbol, long scratchBytes, ErrorSites errors, List<byte[]> objects) {
    /** Bumped whenever the layout below changes, so old entries fail to load and are recompiled. */
    private static final int FORMAT = 2;

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(objects.stream().mapToInt(o -> o.length + 4).sum() + 256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeUTF(symbol);
            out.writeLong(scratchBytes);
            errors.write(out);
            out.writeInt(objects.size());
            for (byte[] object : objects) {
                out.writeInt(object.length);
                out.write(object);
            }
        } catch (IOException e) { // a byte array stream does not fail
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static KernelObject fromBytes(byte[] entry) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry))) {
            int format = in.readInt();
            if (format != FORMAT) throw new IllegalArgumentException("kernel entry format " + format + ", expected " + FORMAT);
            String symbol = in.readUTF();
            long scratch = in.readLong();
            ErrorSites errors = ErrorSites.read(in);
            int count = in.readInt();
            if (count < 1 || count > NativeJit.SECTIONS_LIMIT) throw new IllegalArgumentException(count + " objects in a kernel entry");
            List<byte[]> objects = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] object = new byte[in.readInt()];
                in.readFully(object);
                objects.add(object);
            }
            if (in.read() != -1) throw new IllegalArgumentException("trailing bytes after the object code");
            return new KernelObject(symbol, scratch, errors, objects);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed kernel entry: " + e, e);
        }
    }
}
