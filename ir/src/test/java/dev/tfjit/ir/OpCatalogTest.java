package dev.tfjit.ir;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalog holds each op once, under its IR name; an op defined twice fails to load. */
class OpCatalogTest {

    @Test
    void everyOpIsDefinedOnceUnderItsName() {
        Set<String> names = new HashSet<>();
        for (OpDef op : OpCatalog.all()) {
            assertTrue(names.add(op.name()), "op '" + op.name() + "' appears twice");
            assertEquals(op, OpCatalog.get(op.name()));
        }
        assertTrue(names.size() > 100, "the seed op set is in the catalog: " + names.size());
        assertTrue(names.containsAll(Set.of("add", "matmul", "reduce_sum", "strided_slice", "while", "cond", "print")));
    }

    @Test
    void unknownOpsAreAClearError() {
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> OpCatalog.get("fft3d"));
        assertTrue(e.getMessage().contains("fft3d"), e.getMessage());
    }
}
