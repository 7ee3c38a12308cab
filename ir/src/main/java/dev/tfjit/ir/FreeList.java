package dev.tfjit.ir;

import java.util.Arrays;

/**
 * Addresses of free native blocks of one size class, last freed first (its cache lines are
 * the likeliest to be warm). A primitive stack under a lock: pushing and popping allocate
 * nothing, and the only contention is between the allocating thread and the cleaner thread.
 */
final class FreeList {
    private long[] addresses = new long[16];
    private int size;

    /** A free block's address, or 0 when there is none. */
    synchronized long pop() { return size == 0 ? 0 : addresses[--size]; }

    synchronized void push(long address) {
        if (size == addresses.length) addresses = Arrays.copyOf(addresses, size * 2);
        addresses[size++] = address;
    }

    /** Removes and returns every address, for trimming. */
    synchronized long[] drain() {
        long[] all = Arrays.copyOf(addresses, size);
        size = 0;
        if (addresses.length > 1024) addresses = new long[16];
        return all;
    }
}
