package dev.tfjit.cli;

import dev.tfjit.codegen.llvm.AotCompiler;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.IrParser;
import dev.tfjit.ir.Shape;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.Verifier;
import dev.tfjit.runtime.aot.AotManifest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tfjit compile}: a function (a static Java method traced like tf.function, or an IR
 * text file) compiled ahead of time for one concrete signature into an artifact directory.
 */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = {"Compile a function ahead of time into DIR/lib<name>.so plus a manifest,",
                "runnable with 'tfjit run-artifact' or AotArtifact.load without LLVM."})
final class CompileCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** Where the graph comes from. */
    static final class Source {
        @Option(names = "--ir", paramLabel = "FILE.ir", description = "An IR text file (one func).")
        Path ir;

        @Option(names = "--class", paramLabel = "CLASS", description = "A class with a static method taking and returning Tensors.")
        String className;
    }

    @Option(names = "--method", paramLabel = "NAME", description = "The static method of --class to compile.")
    String method;

    @Option(names = "--classpath", paramLabel = "PATH", split = ":", description = "Where --class is found (jars or class directories).")
    List<Path> classpath = new ArrayList<>();

    @Option(names = "--signature", paramLabel = "TYPE",
            description = "One per argument of --method, e.g. f32[?,784]: the types it is traced for.")
    List<String> signature = new ArrayList<>();

    @Option(names = "--arg-shapes", paramLabel = "SHAPE", split = ";",
            description = "The concrete shape of each argument, e.g. '32,784;784,10'. Defaults to the signature's when it is fully known.")
    List<String> argShapes = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME", description = "The artifact's name (a C identifier); defaults to the function's.")
    String name;

    @Option(names = {"--out", "-o"}, required = true, paramLabel = "DIR", description = "The artifact directory (created).")
    Path out;

    @Override
    public Integer call() {
        Graph graph = source.ir != null ? readIr(source.ir) : traceMethod();
        List<Shape> concrete = concreteShapes(graph);
        String artifactName = name != null ? name : graph.name().replaceAll("[^A-Za-z0-9_]", "_");
        AotManifest m = AotCompiler.compile(graph, concrete, artifactName, out);
        spec.commandLine().getOut().println("wrote " + out.resolve(m.libraryFile()) + ": " + m.symbol() + m.params() + " -> " + m.results()
                + ", scratch " + m.scratchBytes() + " bytes");
        spec.commandLine().getOut().flush();
        return 0;
    }

    private Graph readIr(Path file) {
        if (method != null || !signature.isEmpty()) throw new IllegalArgumentException("--method and --signature go with --class, not --ir");
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Graph g = IrParser.parse(text);
        Verifier.verify(g);
        return g;
    }

    private Graph traceMethod() {
        if (method == null) throw new IllegalArgumentException("--class needs --method");
        List<TensorType> types = signature.stream().map(TypeSpecs::type).toList();
        return MethodTracer.trace(classpath, source.className, method, types);
    }

    /** --arg-shapes, or else the parameter types themselves when they are fully known. */
    private List<Shape> concreteShapes(Graph graph) {
        List<TensorType> params = graph.paramTypes();
        if (argShapes.isEmpty()) {
            List<Shape> shapes = params.stream().map(TensorType::shape).toList();
            for (int i = 0; i < shapes.size(); i++) {
                if (!shapes.get(i).isFullyKnown()) {
                    throw new IllegalArgumentException("argument " + i + " has shape " + shapes.get(i).irString()
                            + ": an artifact is compiled for concrete shapes, give them with --arg-shapes");
                }
            }
            return shapes;
        }
        if (argShapes.size() != params.size()) {
            throw new IllegalArgumentException("--arg-shapes gives " + argShapes.size() + " shapes, @" + graph.name() + " takes "
                    + params.size() + " arguments");
        }
        return argShapes.stream().map(TypeSpecs::shape).toList();
    }
}
