package dev.tfjit.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The round-trip contract: parsing printed IR gives an equal graph that prints the same text. */
final class IrRoundTrip {
    private IrRoundTrip() {}

    /** Asserts the contract for {@code g} and returns the reparsed graph. */
    static Graph assertRoundTrips(Graph g) {
        String text = IrPrinter.print(g);
        Graph parsed = IrParser.parse(text);
        assertEquals(text, IrPrinter.print(parsed));
        GraphStructure.assertSameStructure(g, parsed);
        return parsed;
    }

    /** Asserts that hand-written {@code text}, already in printed form, reads back to itself. */
    static Graph assertTextRoundTrips(String text) {
        Graph g = IrParser.parse(text);
        assertEquals(text, IrPrinter.print(g));
        assertRoundTrips(g);
        return g;
    }
}
