package dev.tfjit.ir;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Structural equality of graphs: same ops, attributes, types, locations and the same wiring,
 * with values matched by position rather than identity (graphs use identity for values).
 */
final class GraphStructure {
    private final Map<Value, Value> match = new IdentityHashMap<>();

    private GraphStructure() {}

    static void assertSameStructure(Graph expected, Graph actual) {
        assertEquals(expected.name(), actual.name(), "function name");
        new GraphStructure().block(expected.body(), actual.body(), "@" + expected.name());
    }

    private void block(Block e, Block a, String where) {
        assertEquals(e.paramTypes(), a.paramTypes(), where + ": param types");
        for (int i = 0; i < e.params().size(); i++) match.put(e.params().get(i), a.params().get(i));
        assertEquals(e.nodes().size(), a.nodes().size(), where + ": node count");
        for (int k = 0; k < e.nodes().size(); k++) {
            Node en = e.nodes().get(k), an = a.nodes().get(k);
            String at = where + " node " + k + " (" + en.op().name() + ")";
            assertSame(en.op(), an.op(), at + ": op");
            assertEquals(en.attrs(), an.attrs(), at + ": attrs");
            assertEquals(en.location(), an.location(), at + ": location");
            values(en.inputs(), an.inputs(), at + ": inputs");
            assertEquals(en.regions().size(), an.regions().size(), at + ": regions");
            for (int r = 0; r < en.regions().size(); r++) block(en.regions().get(r), an.regions().get(r), at + " region " + r);
            assertEquals(en.outputs().stream().map(Value::type).toList(), an.outputs().stream().map(Value::type).toList(), at + ": types");
            for (int i = 0; i < en.outputs().size(); i++) match.put(en.outputs().get(i), an.outputs().get(i));
        }
        values(e.results(), a.results(), where + ": results");
    }

    private void values(List<Value> e, List<Value> a, String where) {
        assertEquals(e.size(), a.size(), where + " count");
        for (int i = 0; i < e.size(); i++) {
            Value m = match.get(e.get(i));
            assertNotNull(m, where + " " + i + " is not defined before its use");
            assertSame(m, a.get(i), where + " " + i + " is wired to a different value");
        }
    }
}
