package org.mixq.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The allocator's size classes (host arithmetic only; the device side is covered by the gpu tests). */
class DeviceAllocatorTest {

    @Test
    void emptyRequestsTakeNoMemory() {
        assertEquals(0, DeviceAllocator.sizeClass(0));
    }

    @Test
    void smallRequestsRoundTo512Bytes() {
        assertEquals(512, DeviceAllocator.sizeClass(1));
        assertEquals(512, DeviceAllocator.sizeClass(512));
        assertEquals(1024, DeviceAllocator.sizeClass(513));
        assertEquals(1L << 20, DeviceAllocator.sizeClass(1L << 20));
    }

    @Test
    void largeRequestsWasteLessThanAQuarterAndFallIntoFewClasses() {
        long previous = 0;
        for (long bytes = (1L << 20) + 1; bytes < (1L << 34); bytes = bytes * 9 / 8 + 7) {
            long size = DeviceAllocator.sizeClass(bytes);
            assertTrue(size >= bytes, "class below request at " + bytes);
            assertTrue(size - bytes < bytes / 4, "more than 25 % waste at " + bytes + ": " + size);
            assertTrue(size >= previous, "classes must grow with the request");
            // four classes per doubling: the class is a multiple of a quarter of its top power of two
            assertEquals(0, size % (Long.highestOneBit(bytes) / 4), "not a class boundary: " + size);
            previous = size;
        }
    }

    @Test
    void equalRequestsShareAClass() {
        assertEquals(DeviceAllocator.sizeClass(3_000_000), DeviceAllocator.sizeClass(3_100_000));
    }
}
