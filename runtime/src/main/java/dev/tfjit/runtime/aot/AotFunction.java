package dev.tfjit.runtime.aot;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.IrParser;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.kernels.random.PhiloxState;
import dev.tfjit.ir.kernels.random.PhiloxStreams;
import dev.tfjit.runtime.ErrorDetails;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A function compiled ahead of time by {@code tfjit compile}, loaded with nothing but the JDK:
 * no LLVM, no code generator on the class path. One object per artifact directory; it has one
 * {@link Entry} per compiled signature, and {@link #run} picks the one the arguments fit.
 *
 * <p>Nothing reaches native code unchecked. Before the library is loaded: the metadata's format,
 * the architecture and the library's CRC-32. After: the CPU has the instruction set extensions
 * the code was compiled for, and the types and scratch sizes the library itself records equal
 * the metadata's. On every call: each argument's dtype and shape equal the entry's, so the code
 * only ever sees buffers of the sizes it was compiled for.
 *
 * <p>Loading is meant to take well under 10 ms in a fresh JVM, so the path from {@link #load} to
 * the first call avoids what costs milliseconds on first use (the FFM linker, lambdas, string
 * concatenation, regular expressions, {@code MessageDigest}, NIO file channels, CRC-32C's
 * table setup): see {@link AotNative} and {@link Json}.
 */
public final class AotFunction {
    private final Path dir;
    private final AotMetadata metadata;
    private final List<Entry> entries;

    private AotFunction(Path dir, AotMetadata metadata, long[] addresses) {
        this.dir = dir;
        this.metadata = metadata;
        // The artifact keeps its random streams: each starts at its seeds when loaded and continues across calls.
        Map<String, PhiloxState> streams = new HashMap<>();
        Entry[] es = new Entry[addresses.length];
        for (int i = 0; i < es.length; i++) es[i] = new Entry(i, metadata.entries().get(i), addresses[i], streams);
        this.entries = List.of(es);
    }

    /** Loads the artifact in {@code dir}; a missing, corrupted, foreign or other-format one is an {@link AotArtifactError}. */
    public static AotFunction load(Path dir) {
        AotMetadata m = AotMetadata.read(dir);
        String arch = System.getProperty("os.arch");
        if (!m.target().arch().equals(arch)) {
            throw new AotArtifactError("the artifact in " + dir + " was compiled for " + m.target().arch() + " (" + m.target().triple()
                    + "), this JVM runs on " + arch);
        }
        File library = new File(dir.toFile(), m.libraryFile());
        byte[] bytes;
        try (FileInputStream in = new FileInputStream(library)) { // java.io: NIO's first use costs milliseconds
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new AotArtifactError("the artifact in " + dir + " lacks its library " + m.libraryFile() + " (" + e.getMessage() + ")");
        }
        String crc = crc32(bytes);
        if (bytes.length != m.libraryBytes() || !crc.equals(m.libraryCrc32())) {
            throw new AotArtifactError("the library " + library + " is corrupted: " + bytes.length + " bytes with CRC-32 " + crc
                    + ", the metadata says " + m.libraryBytes() + " bytes with CRC-32 " + m.libraryCrc32());
        }
        String path;
        try {
            path = library.getCanonicalPath(); // the name the JVM loads it by, and the one dlopen finds it by
        } catch (IOException e) {
            throw new AotArtifactError("cannot resolve " + library + ": " + e.getMessage());
        }
        AotNative.load(path, crc);
        long check = symbol(path, m.cpuCheckSymbol());
        if (AotNative.cpuSupported(check) != 1) {
            throw new AotArtifactError("this CPU lacks instruction set extensions the artifact in " + dir + " was compiled for (target "
                    + m.target().name() + ", cpu " + m.target().cpu() + ", needs " + String.join(" ", m.target().requiredCpuFeatures())
                    + "): compile it with --target x86-64-v3 or another level this machine has");
        }
        String abi = AotNative.string(symbol(path, m.abiSymbol()));
        if (!abi.equals(m.abi())) {
            throw new AotArtifactError("the metadata in " + dir + " does not describe its library: the library was compiled for\n"
                    + abi + "the metadata says\n" + m.abi());
        }
        long[] addresses = new long[m.entries().size()];
        for (int i = 0; i < addresses.length; i++) addresses[i] = symbol(path, m.entries().get(i).symbol());
        return new AotFunction(dir, m, addresses);
    }

    private static long symbol(String library, String name) {
        long a = AotNative.symbol(library, name);
        if (a == 0) throw new AotArtifactError("the library " + library + " does not define " + name);
        return a;
    }

    /** Hex CRC-32, as the metadata records it (public so the compiler writes the very checksum this loader checks). */
    public static String crc32(byte[] bytes) {
        CRC32 c = new CRC32();
        c.update(bytes, 0, bytes.length);
        String hex = Long.toHexString(c.getValue());
        return "00000000".substring(hex.length()).concat(hex);
    }

    public AotMetadata metadata() { return metadata; }

    public Path directory() { return dir; }

    public String name() { return metadata.name(); }

    /** One entry point per compiled signature, in the metadata's order. */
    public List<Entry> entries() { return entries; }

    /** Runs the entry whose parameter types the arguments have; returns fresh result buffers. */
    public List<Buffer> run(List<Buffer> args) { return entryFor(args).run(args); }

    public List<Buffer> run(Buffer... args) { return run(Arrays.asList(args)); }

    /** The entry compiled for exactly these argument types; an error naming what was compiled otherwise. */
    public Entry entryFor(List<Buffer> args) {
        if (entries.size() == 1) return entries.get(0); // its own check gives the most precise message
        for (Entry e : entries) if (e.accepts(args)) return e;
        StringBuilder got = new StringBuilder(), compiled = new StringBuilder();
        for (Buffer b : args) got.append(got.isEmpty() ? "" : ", ").append(b.type());
        for (Entry e : entries) compiled.append(compiled.isEmpty() ? "" : "; ").append(e.info().paramTypes());
        throw new ShapeError("@" + metadata.name() + " has no entry point for arguments (" + got + "); it was compiled for "
                + compiled + " (an artifact runs exactly the shapes it was compiled for)");
    }

    @Override
    public String toString() { return "AotFunction " + metadata.name() + " " + dir; }

    /** One compiled signature: a native entry point and its concrete types. Thread-safe. */
    public final class Entry {
        private final int index;
        private final AotMetadata.Entry info;
        private final long address;
        private final TensorType[] params;
        private final TensorType[] results;
        /** The states of the entry's random streams, passed after the arguments; native code reserves from them atomically. */
        private final PhiloxState[] generators;
        private volatile Graph graph;

        private Entry(int index, AotMetadata.Entry info, long address, Map<String, PhiloxState> streams) {
            this.index = index;
            this.info = info;
            this.address = address;
            this.params = info.paramTypes().toArray(new TensorType[0]);
            this.results = info.resultTypes().toArray(new TensorType[0]);
            this.generators = new PhiloxState[info.generators().size()];
            for (int g = 0; g < generators.length; g++) {
                AotMetadata.Generator gen = info.generators().get(g);
                String key = new StringBuilder(gen.stream()).append('/').append(gen.seed()).append('/').append(gen.seed2()).toString();
                PhiloxState s = streams.get(key);
                if (s == null) streams.put(key, s = PhiloxStreams.fresh(gen.seed(), gen.seed2()));
                generators[g] = s;
            }
        }

        public int index() { return index; }

        public AotMetadata.Entry info() { return info; }

        /** The compiled graph, parsed on first use from the IR text {@code --emit optimized-ir} stored beside the library. */
        public Graph graph() {
            Graph g = graph;
            if (g == null) {
                if (info.graphFile() == null) {
                    throw new AotArtifactError("the artifact in " + dir + " keeps no graph: compile it with --emit optimized-ir");
                }
                try {
                    graph = g = IrParser.parse(Files.readString(dir.resolve(info.graphFile())));
                } catch (IOException e) {
                    throw new AotArtifactError("cannot read the graph of " + info.symbol() + " in " + dir + ": " + e.getMessage());
                }
            }
            return g;
        }

        boolean accepts(List<Buffer> args) {
            if (args.size() != params.length) return false;
            for (int i = 0; i < params.length; i++) {
                Buffer a = args.get(i);
                if (a.dtype() != params[i].dtype() || !a.shape().equals(params[i].shape())) return false;
            }
            return true;
        }

        /** Runs on arguments of exactly this entry's parameter types (variables included, after the tensor arguments). */
        public List<Buffer> run(List<Buffer> args) {
            check(args);
            int n = params.length + generators.length;
            long[] pointers = new long[n + results.length];
            for (int i = 0; i < params.length; i++) pointers[i] = address(args.get(i), i);
            for (int g = 0; g < generators.length; g++) pointers[params.length + g] = generators[g].segment().address();
            List<Buffer> out = new ArrayList<>(results.length);
            for (int j = 0; j < results.length; j++) {
                Buffer r = Buffer.allocate(results[j].dtype(), results[j].shape());
                out.add(r);
                pointers[n + j] = r.segment().address();
            }
            long scratchBytes = info.scratchBytes();
            try {
                if (scratchBytes == 0) {
                    int status = AotNative.call(address, pointers, n, 0);
                    if (status != 0) throw error(status, null);
                } else {
                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment scratch = arena.allocate(scratchBytes, Buffer.ALIGNMENT);
                        int status = AotNative.call(address, pointers, n, scratch.address());
                        if (status != 0) throw error(status, scratch); // formatted while the scratch block holds the details
                    }
                }
            } finally {
                // The native code read and wrote through raw addresses: keep their owners alive until it returned.
                Reference.reachabilityFence(args);
                Reference.reachabilityFence(out);
                Reference.reachabilityFence(generators);
            }
            return out;
        }

        private long address(Buffer b, int i) {
            MemorySegment s = b.segment();
            if (!s.isNative() || s.address() % Buffer.ALIGNMENT != 0) {
                throw new InvalidArgumentError("@" + metadata.name() + " argument " + i + " is not in " + Buffer.ALIGNMENT
                        + "-byte aligned native memory");
            }
            return s.address();
        }

        private void check(List<Buffer> args) {
            if (args.size() != params.length) {
                throw new TfException("@" + metadata.name() + " takes " + params.length + " arguments, got " + args.size());
            }
            for (int i = 0; i < params.length; i++) {
                TensorType p = params[i];
                Buffer a = args.get(i);
                if (a.dtype() != p.dtype()) {
                    throw new DTypeError("@" + metadata.name() + " argument " + i + " should be " + p.dtype() + ", got " + a.dtype());
                }
                if (!p.shape().equals(a.shape())) {
                    throw new ShapeError("@" + metadata.name() + " argument " + i + " should have shape " + p.shape().irString()
                            + ", got " + a.shape().irString() + " (the artifact was compiled for exactly this shape)");
                }
            }
        }

        /** The error of the lowest set bit: the first failing site in program order, as the interpreter reports it. */
        private TfException error(int status, MemorySegment scratch) {
            if (status == Integer.MIN_VALUE) return new TfException("@" + metadata.name() + ": the native glue could not allocate memory");
            int bit = Integer.numberOfTrailingZeros(status);
            List<AotMetadata.ErrorSite> sites = info.errors();
            if (bit >= sites.size()) return new TfException("@" + metadata.name() + " failed with status " + status);
            AotMetadata.ErrorSite s = sites.get(bit);
            SourceLocation at = new SourceLocation(s.file(), s.line());
            return new InvalidArgumentError(ErrorDetails.format(s.message(), scratch)).in(s.op(), at.equals(SourceLocation.UNKNOWN) ? SourceLocation.UNKNOWN : at);
        }

        @Override
        public String toString() { return info.symbol() + info.paramTypes() + " -> " + info.resultTypes(); }
    }
}
