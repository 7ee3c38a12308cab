package dev.tfjit.cli;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.DType;
import dev.tfjit.ir.Shape;
import dev.tfjit.runtime.aot.AotFunction;
import dev.tfjit.runtime.aot.AotMetadata;
import dev.tfjit.tracer.Npy;
import dev.tfjit.tracer.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code tfjit compile}, {@code run-artifact} and {@code explain}, as a user types them. */
class TfjitCliTest {
    @TempDir Path dir;

    record Result(int exit, String out, String err) {}

    static Result tfjit(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = TfjitCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(exit, out.toString(), err.toString());
    }

    private static final String MODELS = Models.class.getName();
    private static final String USER_MODEL = com.example.Model.class.getName();

    private Path npy(String name, Buffer b) {
        Path p = dir.resolve(name);
        Npy.write(p, b);
        return p;
    }

    @Test
    void compilesAnIrFileAndRunsTheArtifactOnNpyInputs() throws IOException {
        Path ir = dir.resolve("scale.ir");
        Files.writeString(ir, """
                func @scale(%a: f32[?], %b: f32[?]) -> f32[?] {
                  %0 = mul %a, %b : f32[?]
                  %1 = neg %0 : f32[?]
                  return %1
                }
                """);
        Result c = tfjit("compile", "--ir", ir.toString(), "--batch", "3", "-o", dir.resolve("art").toString());
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("libscale.so"), c.out());
        assertTrue(c.out().contains("tfjit_aot_scale_0 [f32[3], f32[3]] -> [f32[3]]"), c.out());

        Path saved = dir.resolve("r.npy");
        Result r = tfjit("run-artifact", dir.resolve("art").toString(), "--inputs",
                npy("a.npy", Buffer.ofFloats(Shape.of(3), 1, 2, 3)).toString(),
                npy("b.npy", Buffer.ofFloats(Shape.of(3), 4, -5, 0.5f)).toString(), "--outputs", saved.toString());
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(new float[] {-4, 10, -1.5f}, Npy.read(saved).toFloatArray());
        assertTrue(r.out().contains("10"), r.out());
    }

    @Test
    void eachSignatureAndBatchSizeIsAnEntryPoint() {
        Path art = dir.resolve("sq");
        Result c = tfjit("compile", "--class", MODELS, "--method", "squarePlusOne", "--signature", "f32[?,2]", "--signature", "f64[?,2]",
                "--batch", "1,4", "--name", "sq", "-o", art.toString());
        assertEquals(0, c.exit(), c.err());
        AotMetadata m = AotMetadata.read(art);
        assertEquals(List.of("[f32[1,2]]", "[f32[4,2]]", "[f64[1,2]]", "[f64[4,2]]"),
                m.entries().stream().map(e -> e.paramTypes().toString()).toList());
        assertEquals("f64[?,2]", m.entries().get(3).signature());

        Path saved = dir.resolve("y.npy");
        Result r = tfjit("run-artifact", art.toString(), "--inputs",
                npy("x.npy", Buffer.ofDoubles(Shape.of(4, 2), 0, 1, -2, 3, 4, 5, 6, 7)).toString(), "--outputs", saved.toString());
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(new double[] {1, 2, 5, 10, 17, 26, 37, 50}, Npy.read(saved).toDoubleArray());
    }

    @Test
    void aSignatureListsOneTypePerArgumentAndAStaticFunctionCompilesToo() {
        Result c = tfjit("compile", "--class", MODELS, "--method", "product", "--signature", "f32[2], f32[2]", "-o", dir.resolve("p").toString());
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("[f32[2], f32[2]] -> [f32[2]]"), c.out());

        Result h = tfjit("compile", "--class", MODELS, "--method", "HALVE", "--signature", "f32[3]", "-o", dir.resolve("h").toString());
        assertEquals(0, h.exit(), h.err());
        assertTrue(h.out().contains("libhalve.so"), "a Function keeps its name: " + h.out());
        assertArrayEquals(new float[] {0.5f, -1, 4}, AotFunction.load(dir.resolve("h")).run(Buffer.ofFloats(Shape.of(3), 1, -2, 8))
                .get(0).toFloatArray());
    }

    @Test
    void frozenVariablesBecomeConstants() {
        Path art = dir.resolve("dense");
        Result c = tfjit("compile", "--class", MODELS, "--method", "dense", "--signature", "f32[?,3]", "--batch", "2", "-o", art.toString());
        assertEquals(0, c.exit(), c.err());
        AotFunction f = AotFunction.load(art);
        assertEquals("freeze", f.metadata().variables());
        assertEquals(1, f.entries().get(0).info().params().size(), "the variables are not parameters");
        Buffer x = Buffer.ofFloats(Shape.of(2, 3), 1, 2, 3, -1, 0, 4);
        assertArrayEquals(Models.dense(Tensor.of(x)).buffer().toFloatArray(), f.run(x).get(0).toFloatArray(), 1e-6f);
    }

    @Test
    void variablesPassedAsArgumentsAreSavedAndTheirNewValuesReturned() {
        Path art = dir.resolve("dense");
        Result c = tfjit("compile", "--class", MODELS, "--method", "dense", "--signature", "f32[2,3]", "--variables", "args", "-o", art.toString());
        assertEquals(0, c.exit(), c.err());
        AotMetadata m = AotMetadata.read(art);
        assertEquals("args", m.variables());
        assertEquals(List.of("x:argument", "dense/kernel:variable", "dense/bias:variable"), m.entries().get(0).params().stream()
                .map(s -> (s.name().startsWith("arg") ? "x" : s.name()) + ":" + s.kind().name().toLowerCase()).toList());
        assertEquals(List.of("dense/kernel", "dense/bias"), m.variableValues().stream().map(AotMetadata.VariableValue::name).toList());
        Buffer x = Buffer.ofFloats(Shape.of(2, 3), 1, 2, 3, -1, 0, 4);
        Path saved = dir.resolve("y.npy");
        Result r = tfjit("run-artifact", art.toString(), "--inputs", npy("x.npy", x).toString(), "--outputs", saved.toString());
        assertEquals(0, r.exit(), "only the tensor argument is given: the saved variable values fill the rest. " + r.err());
        assertArrayEquals(Models.dense(Tensor.of(x)).buffer().toFloatArray(), Npy.read(saved).toFloatArray(), 1e-6f);

        Path counted = dir.resolve("counted");
        Result a = tfjit("compile", "--class", MODELS, "--method", "counted", "--signature", "f32[2]", "--variables", "args", "-o", counted.toString());
        assertEquals(0, a.exit(), a.err());
        AotFunction f = AotFunction.load(counted);
        List<Buffer> out = f.run(Buffer.ofFloats(Shape.of(2), 3, 4), Buffer.scalar(DType.FLOAT32, 4));
        assertArrayEquals(new float[] {15, 20}, out.get(0).toFloatArray(), "x * (steps + 1)");
        assertEquals(5f, out.get(1).toFloatArray()[0], "the assigned variable's new value is the last result");
        assertEquals(AotMetadata.Kind.VARIABLE, f.entries().get(0).info().results().get(1).kind());

        Result frozen = tfjit("compile", "--class", MODELS, "--method", "counted", "--signature", "f32[2]", "-o", dir.resolve("x").toString());
        assertEquals(1, frozen.exit());
        assertTrue(frozen.err().contains("assigns variable 'steps', which a frozen artifact cannot keep: compile with --variables args"),
                frozen.err());
    }

    @Test
    void emitWritesIntermediateFormsAndTargetsAreChecked() {
        Path art = dir.resolve("e");
        Result c = tfjit("compile", "--class", MODELS, "--method", "squarePlusOne", "--signature", "f32[8]", "--target", "x86-64-v3",
                "--emit", "ir,optimized-ir,llvm,asm,dot", "-o", art.toString());
        assertEquals(0, c.exit(), c.err());
        assertTrue(c.out().contains("target x86-64-v3, cpu x86-64-v3"), c.out());
        for (String f : List.of("squarePlusOne.0.traced.ir", "squarePlusOne.0.ir", "squarePlusOne.0.ll", "squarePlusOne.0.opt.ll",
                "squarePlusOne.0.s", "squarePlusOne.0.dot", "squarePlusOne.h", AotMetadata.FILE)) {
            assertTrue(Files.isRegularFile(art.resolve(f)), f);
        }
    }

    @Test
    void badInputGivesOneLineErrorsAndNonZeroExits() throws IOException {
        String out = dir.resolve("o").toString();
        assertError("tfjit compile: class no.such.Model not found",
                "compile", "--class", "no.such.Model", "--method", "f", "--signature", "f32[2]", "-o", out);
        assertError("has no method or Function field named nope",
                "compile", "--class", MODELS, "--method", "nope", "--signature", "f32[2]", "-o", out);
        assertError("signature (f32[2]) gives 1 argument, dev.tfjit.cli.Models.product(Tensor ",
                "compile", "--class", MODELS, "--method", "product", "--signature", "f32[2]", "-o", out);
        assertError("signature (f32[?,4]) does not fit dev.tfjit.cli.Models.dense(Tensor ",
                "compile", "--class", MODELS, "--method", "dense", "--signature", "f32[?,4]", "--batch", "2", "-o", out);
        assertError("has unknown dims (?): an artifact is compiled for concrete shapes",
                "compile", "--class", MODELS, "--method", "squarePlusOne", "--signature", "f32[?]", "-o", out);
        assertError("unknown dtype 'float'", "compile", "--class", MODELS, "--method", "squarePlusOne", "--signature", "float[2]", "-o", out);
        assertError("where: the llvm-cpu backend does not lower 'where' yet: its output shape",
                "compile", "--class", MODELS, "--method", "positions", "--signature", "f32[4]", "-o", out);
        assertError("calls back into Java (Tf.javaFunction)",
                "compile", "--class", MODELS, "--method", "withJavaCallback", "--signature", "f32[2]", "-o", out);
        assertError("--target sm_12: the ptx-gpu backend generates code for sm_70, sm_75, sm_80",
                "compile", "--class", MODELS, "--method", "squarePlusOne", "--signature", "f32[2]", "--target", "sm_12", "-o", out);
        assertError("where: the ptx-gpu backend does not lower 'where' yet",
                "compile", "--class", MODELS, "--method", "positions", "--signature", "f32[4]", "--target", "sm_90", "-o", out);
        assertError("--emit asm is a CPU target's assembly; for --target sm_90 use --emit ptx", "compile", "--class", MODELS,
                "--method", "squarePlusOne", "--signature", "f32[2]", "--target", "sm_90", "--emit", "asm", "-o", out);
        assertError("unknown --target 'arm'", "compile", "--class", MODELS, "--method", "squarePlusOne", "--signature", "f32[2]",
                "--target", "arm", "-o", out);
        assertError("unknown --variables 'keep'", "compile", "--class", MODELS, "--method", "squarePlusOne", "--signature", "f32[2]",
                "--variables", "keep", "-o", out);
        assertFalse(Files.exists(dir.resolve("o")), "nothing is written for a refused function");

        assertError("is not a tfjit artifact", "run-artifact", dir.toString());
        Path art = dir.resolve("art");
        assertEquals(0, tfjit("compile", "--class", MODELS, "--method", "squarePlusOne", "--signature", "f32[2]", "-o", art.toString()).exit());
        Path md = art.resolve(AotMetadata.FILE);
        String text = Files.readString(md);
        Files.writeString(md, text.replace("\"format\": " + AotMetadata.FORMAT, "\"format\": 99"));
        assertError("has format 99", "run-artifact", art.toString());
        Files.writeString(md, text);
        Path lib = art.resolve("libsquarePlusOne.so");
        byte[] bytes = Files.readAllBytes(lib);
        bytes[bytes.length / 3] ^= 1;
        Files.write(lib, bytes);
        assertError("is corrupted", "run-artifact", art.toString());

        assertEquals(2, tfjit("compile", "--ir", "x.ir").exit(), "a missing required option is a usage error");
    }

    private static void assertError(String expected, String... args) {
        Result r = tfjit(args);
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertTrue(r.err().startsWith("tfjit " + args[0] + ": "), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void explainPrintsTracesIrFusionAndCodeSizes() {
        Result e = tfjit("explain", "--class", MODELS, "--method", "dense", "--signature", "f32[?,3]", "--batch", "8");
        assertEquals(0, e.exit(), e.err());
        for (String s : List.of("== @dense for signature (f32[?,3]) ==", "-- traces --", "Function dense: 1 trace", "-- AutoGraph conversion --",
                "-- traced IR --", "func @dense(", "-- optimized IR (compiled) --",
                "-- fusion and buffers (llvm-cpu backend: what the compiled code does) --",
                "-- graph-level fusion (optimizer-passes FusionPass, not used by the backends) --",
                "fusion decisions for @dense", "-- generated code --", "[f32[8,3]]: LLVM IR")) {
            assertTrue(e.out().contains(s), s + " in\n" + e.out());
        }
        // x @ W + b: the bias add is the matmul's epilogue, written into the result slot.
        String backend = section(e.out(), "fusion and buffers (llvm-cpu backend: what the compiled code does)");
        assertTrue(backend.startsWith("llvm-cpu fusion and buffers for @dense (f32[8,3]"), backend);
        assertTrue(backend.contains(" = matmul f32[8,2]: stored in scratch [") && backend.contains(", epilogue %"), backend);
        assertTrue(backend.contains(" = add f32[8,2]: epilogue of matmul %"), backend);
        assertTrue(backend.contains("result 0 <- %"), backend);
        long scratch = Long.parseLong(backend.replaceAll("(?s).*scratch block: (\\d+) bytes per call$", "$1"));
        assertTrue(section(e.out(), "generated code").endsWith("scratch " + scratch + " bytes"), "the same scratch block as the code:\n" + e.out());
        Result noBatch = tfjit("explain", "--class", MODELS, "--method", "dense", "--signature", "f32[?,3]");
        assertEquals(0, noBatch.exit(), noBatch.err());
        assertTrue(noBatch.out().contains("no code sizes: signature (f32[?,3]) has unknown dims"), noBatch.out());
    }

    @Test
    void explainPrintsAutographsConversionReportAndTheStagedGraphWithSourceLines() {
        Result e = tfjit("explain", "--class", USER_MODEL, "--method", "halveUntilSmall", "--signature", "f32[3]");
        assertEquals(0, e.exit(), e.err());
        String conversion = section(e.out(), "AutoGraph conversion");
        assertEquals("autograph Model.halveUntilSmall (Model.java):\n"
                + "  converted:\n"
                + "    line " + modelsLine("while (Tf.reduceSum(Tf.abs(y))") + ": loop on a tensor -> while loop, carrying y, rounds\n"
                + "  left as Java:\n"
                + "    line " + modelsLine("for (int k = 0; k < 2; k++)") + ": loop on Java values -> stays Java; it unrolls while tracing",
                conversion);
        String traced = section(e.out(), "traced IR");
        assertTrue(traced.contains(" = while ") && traced.contains("loc(Model.java:" + modelsLine("y = y.mul(0.5f)") + ")"), traced);

        Result field = tfjit("explain", "--class", MODELS, "--method", "HALVE", "--signature", "f32[2]");
        assertEquals(0, field.exit(), field.err());
        assertTrue(section(field.out(), "AutoGraph conversion").endsWith("no tensor conditions and no loops: nothing to convert"), field.out());
    }

    @Test
    void compileAndExplainConvertStaticAndInstanceTfFunctionMethods() {
        Result c = tfjit("compile", "--class", USER_MODEL, "--method", "halveUntilSmall", "--signature", "f32[3]", "-o", dir.resolve("h").toString());
        assertEquals(0, c.exit(), c.err());
        Path saved = dir.resolve("h.npy");
        Buffer x = Buffer.ofFloats(Shape.of(3), 3, -4.5f, 0.25f);
        Result r = tfjit("run-artifact", dir.resolve("h").toString(), "--inputs", npy("hx.npy", x).toString(), "--outputs", saved.toString());
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(com.example.Model.halveUntilSmall(Tensor.of(x)).toFloatArray(), Npy.read(saved).toFloatArray(), "the staged loop in native code");
        Result e = tfjit("explain", "--class", USER_MODEL, "--method", "scale", "--signature", "f32[2]");
        assertEquals(0, e.exit(), e.err());
        assertTrue(section(e.out(), "AutoGraph conversion").contains(": if on a tensor -> cond, carrying y"), e.out());
    }

    /** The text of one {@code -- title --} section of explain's report. */
    private static String section(String report, String title) {
        int start = report.indexOf("-- " + title + " --\n");
        assertTrue(start >= 0, title + " in\n" + report);
        start += title.length() + 7;
        int end = report.indexOf("\n-- ", start);
        return report.substring(start, end < 0 ? report.length() : end).stripTrailing();
    }

    private static int modelsLine(String text) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(Path.of("src/test/java/com/example/Model.java"));
            for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(text)) return i + 1;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        throw new AssertionError(text + " not in Model.java");
    }

    @Test
    void everySubcommandHasHelpAndThereIsACompletionScript() {
        for (String cmd : new String[] {"compile", "run-artifact", "explain", "run"}) {
            Result h = tfjit(cmd, "--help");
            assertEquals(0, h.exit());
            assertTrue(h.out().contains("Usage: tfjit " + cmd), h.out());
        }
        assertEquals(0, tfjit("train", "--help").exit(), "TrainMain prints its usage to stderr");
        Result help = tfjit("help", "train");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("Usage: tfjit train"), help.out());
        Result completion = tfjit("generate-completion");
        assertEquals(0, completion.exit());
        assertTrue(completion.out().contains("complete") && completion.out().contains("explain"), completion.out());
    }
}
