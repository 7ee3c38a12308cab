package dev.tfjit.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-written baseline must really train, or its speed means nothing. */
class HandWrittenMlpTest {
    @Test
    void memorizesOneBatch() {
        Random random = new Random(7);
        float[] images = new float[32 * 784];
        for (int i = 0; i < images.length; i++) images[i] = random.nextFloat();
        int[] labels = new int[32];
        for (int i = 0; i < labels.length; i++) labels[i] = random.nextInt(10);
        HandWrittenMlp mlp = new HandWrittenMlp(32, 42, 784, 300, 100, 10);
        float first = mlp.trainStep(images, labels);
        assertEquals(Math.log(10), first, 1.0, "ten classes start near ln 10");
        float last = first;
        for (int i = 0; i < 200; i++) last = mlp.trainStep(images, labels);
        assertTrue(last < 0.05f, "after 200 Adam steps on one batch the loss is " + last);
    }
}
