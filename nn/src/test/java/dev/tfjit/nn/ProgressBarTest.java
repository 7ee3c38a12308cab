package dev.tfjit.nn;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressBarTest {
    private static Map<String, Double> logs() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss", 0.51234);
        m.put("accuracy", 0.821);
        return m;
    }

    private static ProgressBar bar(int target) { return new ProgressBar(target, new PrintStream(new ByteArrayOutputStream()), false); }

    @Test
    void aFinishedEpochLooksLikeKeras() {
        assertEquals("469/469 [==============================] - 2s 4ms/step - loss: 0.5123 - accuracy: 0.8210",
                bar(469).render(469, logs(), 2_000_000_000L));
    }

    @Test
    void aPartialEpochShowsAnArrowAndPadsTheStepCount() {
        assertEquals(" 47/469 [==>...........................] - 0s 2ms/step - loss: 0.5123 - accuracy: 0.8210",
                bar(469).render(47, logs(), 100_000_000L));
    }

    @Test
    void anUnknownStepCountAndTinyValues() {
        assertEquals("12/Unknown - 0s 83us/step - loss: 1.2000e-05",
                bar(-1).render(12, Map.of("loss", 1.2e-5), 1_000_000L));
    }

    @Test
    void offATerminalOnlyTheFinishedLineIsPrinted() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProgressBar b = new ProgressBar(2, new PrintStream(out, true, StandardCharsets.UTF_8), false);
        b.update(1, logs());
        b.finish(2, logs());
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), text);
        assertEquals(true, text.startsWith("2/2 [==============================] - "), text);
    }
}
