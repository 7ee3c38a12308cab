package dev.tfjit.runtime.aot;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DTypeError;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.ir.IrParser;
import dev.tfjit.ir.ShapeError;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.runtime.ErrorDetails;
import dev.tfjit.runtime.Executable;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * An ahead-of-time artifact loaded with nothing but the JDK's foreign function API: no LLVM,
 * no code generator on the class path. The manifest is checked before the library is mapped
 * (format, architecture, checksum), and every call's arguments are checked in Java against
 * the concrete types the library was compiled for, so the native code only ever sees buffers
 * of the sizes it expects.
 */
public final class AotArtifact implements Executable {
    /** The entry point's C type: {@code int entry(void **args, void **results, void *scratch)}; non-zero = error bits. */
    private static final FunctionDescriptor ENTRY = FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS);

    private final Path dir;
    private final AotManifest manifest;
    private final Arena libraryArena; // held so the library stays mapped as long as this object lives
    private final MethodHandle entry;
    private volatile Graph graph;

    private AotArtifact(Path dir, AotManifest manifest, Arena libraryArena, MethodHandle entry) {
        this.dir = dir;
        this.manifest = manifest;
        this.libraryArena = libraryArena;
        this.entry = entry;
    }

    /** Loads the artifact {@code AotCompiler} wrote to {@code dir}; refuses a corrupted or foreign one. */
    public static AotArtifact load(Path dir) {
        AotManifest m = AotManifest.read(dir);
        String arch = System.getProperty("os.arch");
        if (!m.arch().equals(arch)) {
            throw new AotArtifactError("the artifact in " + dir + " was compiled for " + m.arch() + " (" + m.targetTriple()
                    + "), this JVM runs on " + arch);
        }
        Path library = dir.resolve(m.libraryFile());
        if (!Files.isRegularFile(library)) throw new AotArtifactError("the artifact in " + dir + " lacks its library " + m.libraryFile());
        String sha = sha256(library);
        if (!sha.equals(m.librarySha256())) {
            throw new AotArtifactError("the library " + library + " is corrupted: its SHA-256 is " + sha + ", the manifest says "
                    + m.librarySha256());
        }
        Arena arena = Arena.ofShared();
        try {
            SymbolLookup lookup = SymbolLookup.libraryLookup(library, arena);
            MemorySegment address = lookup.find(m.symbol()).orElseThrow(
                    () -> new AotArtifactError("the library " + library + " does not define the entry point " + m.symbol()));
            return new AotArtifact(dir, m, arena, Linker.nativeLinker().downcallHandle(address, ENTRY));
        } catch (IllegalArgumentException e) { // dlopen failed: not a library for this machine
            arena.close();
            throw new AotArtifactError("cannot load " + library + ": " + e.getMessage());
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public AotManifest manifest() { return manifest; }

    public Path directory() { return dir; }

    /** The compiled graph, parsed from the IR text stored beside the library on first use. */
    @Override
    public Graph graph() {
        Graph g = graph;
        if (g == null) {
            try {
                graph = g = IrParser.parse(Files.readString(dir.resolve(AotManifest.GRAPH_FILE)));
            } catch (IOException e) {
                throw new AotArtifactError("cannot read the graph of the artifact in " + dir + ": " + e.getMessage());
            }
        }
        return g;
    }

    @Override
    public List<Buffer> run(List<Buffer> args) {
        checkArgs(args);
        List<Buffer> results = new ArrayList<>(manifest.results().size());
        for (TensorType t : manifest.results()) results.add(Buffer.allocate(t.dtype(), t.shape()));
        try (Arena call = Arena.ofConfined()) {
            MemorySegment argv = call.allocate(ValueLayout.ADDRESS, Math.max(1, args.size()));
            for (int i = 0; i < args.size(); i++) argv.setAtIndex(ValueLayout.ADDRESS, i, args.get(i).segment());
            MemorySegment resv = call.allocate(ValueLayout.ADDRESS, Math.max(1, results.size()));
            for (int i = 0; i < results.size(); i++) resv.setAtIndex(ValueLayout.ADDRESS, i, results.get(i).segment());
            long scratchBytes = manifest.scratchBytes();
            MemorySegment scratch = scratchBytes == 0 ? MemorySegment.NULL : call.allocate(scratchBytes, Buffer.ALIGNMENT);
            int status = (int) entry.invokeExact(argv, resv, scratch);
            if (status != 0) throw error(status, scratch); // formatted while the scratch block holds the details
        } catch (Throwable t) {
            throw t instanceof RuntimeException r ? r : new IllegalStateException("native call failed", t);
        } finally {
            Reference.reachabilityFence(args);
            Reference.reachabilityFence(libraryArena);
        }
        return results;
    }

    /** The error of the lowest set bit: the first failing site in program order, as the interpreter reports it. */
    private TfException error(int status, MemorySegment scratch) {
        int bit = Integer.numberOfTrailingZeros(status);
        List<AotManifest.ErrorSite> sites = manifest.errors();
        if (bit >= sites.size()) return new TfException("@" + manifest.name() + " failed with status " + status);
        AotManifest.ErrorSite s = sites.get(bit);
        return new InvalidArgumentError(ErrorDetails.format(s.message(), scratch)).in(s.op(), s.location());
    }

    private void checkArgs(List<Buffer> args) {
        List<TensorType> params = manifest.params();
        if (args.size() != params.size()) {
            throw new TfException("@" + manifest.name() + " takes " + params.size() + " arguments, got " + args.size());
        }
        for (int i = 0; i < args.size(); i++) {
            TensorType p = params.get(i);
            Buffer a = args.get(i);
            if (a.dtype() != p.dtype()) {
                throw new DTypeError("@" + manifest.name() + " argument " + i + " should be " + p.dtype() + ", got " + a.dtype());
            }
            if (!p.shape().equals(a.shape())) { // an artifact is compiled for one concrete signature
                throw new ShapeError("@" + manifest.name() + " argument " + i + " should have shape " + p.shape().irString()
                        + ", got " + a.shape().irString() + " (the artifact was compiled for exactly this shape)");
            }
        }
    }

    /** Hex SHA-256 of a file (public so the compiler writes the very checksum this loader checks). */
    public static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new AotArtifactError("cannot read " + file + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) { // every JDK has SHA-256
            throw new IllegalStateException(e);
        }
    }
}
