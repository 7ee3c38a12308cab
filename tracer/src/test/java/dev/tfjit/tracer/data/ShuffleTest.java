package dev.tfjit.tracer.data;

import dev.tfjit.ir.InvalidArgumentError;
import dev.tfjit.tracer.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Iterator;

import static dev.tfjit.tracer.data.DatasetSourcesTest.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** shuffle's buffer semantics and determinism. */
class ShuffleTest {

    static long[] sorted(long[] a) {
        long[] c = a.clone();
        Arrays.sort(c);
        return c;
    }

    static long[] upTo(int n) {
        long[] r = new long[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    @Test
    void aBufferOfOneKeepsTheInputOrder() {
        assertArrayEquals(upTo(20), longs(Dataset.range(20).shuffle(1, 7)));
    }

    @Test
    void eachPassIsAPermutation() {
        for (int buffer : new int[] {2, 5, 100}) {
            assertArrayEquals(upTo(50), sorted(longs(Dataset.range(50).shuffle(buffer, 3))), "buffer " + buffer);
        }
    }

    @Test
    void anElementCannotComeOutBeforeItHasEnteredTheBuffer() {
        // The buffer holds the first k elements; after n outputs it has read at most n + k inputs,
        // so output n is one of the inputs 0 .. n + k - 1.
        int k = 4;
        for (long seed = 0; seed < 20; seed++) {
            long[] out = longs(Dataset.range(40).shuffle(k, seed));
            for (int n = 0; n < out.length; n++) assertTrue(out[n] < n + k, "seed " + seed + ": output " + n + " is " + out[n]);
        }
    }

    @Test
    void aSmallBufferMostlyKeepsFarApartElementsInOrder() {
        // With a buffer of 2, element 0 stays in the buffer until picked: it comes out at a
        // position with probability 1/2, 1/4, ...; over many seeds it is first about half the time.
        int first = 0;
        for (long seed = 0; seed < 400; seed++) if (longs(Dataset.range(10).shuffle(2, seed).take(1))[0] == 0) first++;
        assertTrue(first > 150 && first < 250, "element 0 came first " + first + " times of 400");
    }

    @Test
    void theSameSeedGivesTheSameSequenceOfEpochs() {
        Dataset<Tensor> a = Dataset.range(30).shuffle(10, 42);
        Dataset<Tensor> b = Dataset.range(30).shuffle(10, 42);
        long[] a1 = longs(a), a2 = longs(a);
        assertArrayEquals(a1, longs(b));
        assertArrayEquals(a2, longs(b));
        assertFalse(Arrays.equals(a1, a2), "each pass reshuffles");
        assertFalse(Arrays.equals(a1, longs(Dataset.range(30).shuffle(10, 43))), "another seed, another order");
    }

    @Test
    void repeatAfterShuffleReshufflesEachEpoch() {
        long[] two = longs(Dataset.range(20).shuffle(20, 5).repeat(2));
        long[] e1 = Arrays.copyOfRange(two, 0, 20), e2 = Arrays.copyOfRange(two, 20, 40);
        assertArrayEquals(upTo(20), sorted(e1));
        assertArrayEquals(upTo(20), sorted(e2));
        assertFalse(Arrays.equals(e1, e2));
    }

    @Test
    void withoutReshufflingEveryPassHasTheSameOrder() {
        Dataset<Tensor> fixed = Dataset.range(30).shuffle(30, 9, false);
        assertArrayEquals(longs(fixed), longs(fixed));
    }

    @Test
    void aPassStoppedEarlyDoesNotChangeLaterOnesBeyondCountingAsAPass() {
        Dataset<Tensor> a = Dataset.range(10).shuffle(10, 1);
        Dataset<Tensor> b = Dataset.range(10).shuffle(10, 1);
        Iterator<Tensor> partial = a.iterator();
        partial.next();
        longs(b); // b's first pass
        assertArrayEquals(longs(b), longs(a), "both are on their second pass");
    }

    @Test
    void theBufferSizeMustBePositive() {
        assertThrows(InvalidArgumentError.class, () -> Dataset.range(3).shuffle(0, 1));
    }
}
