package dev.tfjit.ir;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Damaged IR text is rejected with a positioned {@link IrParseException}, never another exception. */
class IrParserRobustnessTest {
    private static final String ALPHABET = "%@^{}[]()<>,:=?*-\"\\\n 0123456789.xfinatrueloc";

    @Test
    void mutatedTextEitherParsesOrFailsWithAPosition() {
        Random rnd = new Random(99);
        int rejected = 0;
        for (int i = 0; i < 200; i++) {
            String text = IrPrinter.print(new RandomGraphs(rnd).graph("m" + i));
            for (int k = 0; k < 10; k++) {
                String bad = mutate(text, rnd);
                try {
                    IrParser.parse(bad);
                } catch (IrParseException e) {
                    rejected++;
                    assertTrue(e.getMessage().matches("(?s)\\d+:\\d+: .+"), e.getMessage());
                    assertTrue(e.line() >= 1 && e.column() >= 1, e.getMessage());
                } catch (RuntimeException e) {
                    fail("unexpected " + e + " for:\n" + bad, e);
                }
            }
        }
        assertTrue(rejected > 1000, "mutations should mostly break the text: " + rejected);
    }

    private static String mutate(String text, Random rnd) {
        StringBuilder sb = new StringBuilder(text);
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits && !sb.isEmpty(); e++) {
            int at = rnd.nextInt(sb.length());
            switch (rnd.nextInt(4)) {
                case 0 -> sb.deleteCharAt(at);
                case 1 -> sb.insert(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                case 2 -> sb.setCharAt(at, ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
                default -> sb.setLength(at); // truncate
            }
        }
        return sb.toString();
    }

    @Test
    void hugeDenseShapesAreRejectedBeforeAllocating() {
        var e = assertThrows(IrParseException.class, () -> IrParser.parse(
                "func @f() -> f64[2000000000] {\n  %0 = constant {value=dense<f64[2000000000]: 1.0>} : f64[2000000000]\n  return %0\n}\n"));
        assertEquals("2:30: dense<f64[2000000000]> needs 2000000000 elements but the text has fewer tokens left", e.getMessage());
        assertThrows(IrParseException.class, () -> IrParser.parse(
                "func @f() -> f64[] {\n  %0 = constant {value=dense<f64[2147483647,2147483647,2147483647]: 1.0>} : f64[]\n  return %0\n}\n"));
    }

    @Test
    void deeplyNestedRegionsFailCleanly() {
        StringBuilder sb = new StringBuilder("func @deep(%p: bool[]) -> () {\n");
        int depth = 20000;
        for (int i = 0; i < depth; i++) sb.append("cond %p {\n^():\n");
        assertThrows(IrParseException.class, () -> IrParser.parse(sb.toString()));
    }
}
