package dev.tfjit.tests.goldens;

import dev.tfjit.ir.Buffer;
import dev.tfjit.tracer.Npy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One TensorFlow 2.18 golden case from {@code tf-goldens/cases/manifest.json}: the TF op name,
 * its non-tensor attributes, the input tensors, and either the outputs or TF's error.
 */
record GoldenCase(String id, String op, String family, Attributes attrs, List<Buffer> inputs,
                  List<String> inputNames, List<Buffer> outputs, String errorMessage) {

    private static final String ROOT = "/tf-goldens/cases/";

    boolean expectsError() { return outputs == null; }

    @Override
    public String toString() { return id; }

    @SuppressWarnings("unchecked")
    static List<GoldenCase> loadAll() {
        List<GoldenCase> cases = new ArrayList<>();
        for (Object o : (List<Object>) Json.parse(new String(bytes("manifest.json"), StandardCharsets.UTF_8))) {
            Map<String, Object> m = (Map<String, Object>) o;
            List<Buffer> in = new ArrayList<>();
            for (Object f : (List<Object>) m.get("inputs")) in.add(npy((String) f));
            Object out = m.get("output");
            List<Buffer> outs = null;
            String error = null;
            if ("error".equals(out)) {
                error = (String) ((Map<String, Object>) m.get("error")).get("message");
            } else if (out instanceof String f) {
                outs = List.of(npy(f));
            } else {
                outs = new ArrayList<>();
                for (Object f : (List<Object>) out) outs.add(npy((String) f));
            }
            cases.add(new GoldenCase((String) m.get("id"), (String) m.get("op"), (String) m.get("family"),
                    new Attributes((Map<String, Object>) m.get("attrs")), in,
                    (List<String>) (List<?>) m.get("input_names"), outs, error));
        }
        return cases;
    }

    private static Buffer npy(String file) { return Npy.decode(bytes(file), file); }

    private static byte[] bytes(String file) {
        try (InputStream in = GoldenCase.class.getResourceAsStream(ROOT + file)) {
            if (in == null) throw new IllegalStateException("missing test resource " + ROOT + file);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
