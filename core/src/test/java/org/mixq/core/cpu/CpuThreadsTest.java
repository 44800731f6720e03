package org.mixq.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class CpuThreadsTest {

    @Test
    void everyItemRunsExactlyOnce() {
        for (int threads = 1; threads <= 4; threads++) {
            try (CpuThreads pool = new CpuThreads(threads)) {
                for (int n : new int[] {0, 1, 2, 3, 7, 100, 1001}) {
                    for (int repeat = 0; repeat < 50; repeat++) {
                        AtomicIntegerArray seen = new AtomicIntegerArray(n);
                        pool.forRange(n, 1, (from, to) -> {
                            for (int i = from; i < to; i++) {
                                seen.incrementAndGet(i);
                            }
                        });
                        for (int i = 0; i < n; i++) {
                            assertEquals(1, seen.get(i), threads + " threads, n " + n + ", item " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aWorkersFailureReachesTheCaller() {
        IllegalStateException failure = new IllegalStateException("chunk failed");
        try (CpuThreads pool = new CpuThreads(3)) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> pool.forRange(30, 1, (from, to) -> {
                if (from > 0) {
                    throw failure;
                }
            }));
            assertSame(failure, thrown);
            AtomicIntegerArray seen = new AtomicIntegerArray(30);
            pool.forRange(30, 1, (from, to) -> seen.addAndGet(0, to - from));
            assertEquals(30, seen.get(0), "the pool still works after a failure");
        }
    }

    /** Two threads sharing one pool take turns instead of losing each other's chunks. */
    @Test
    void concurrentCallersTakeTurns() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (CpuThreads pool = new CpuThreads(2)) {
                long[] totals = new long[2];
                Thread[] callers = new Thread[2];
                for (int c = 0; c < 2; c++) {
                    int caller = c;
                    callers[c] = new Thread(() -> {
                        for (int repeat = 0; repeat < 2000; repeat++) {
                            AtomicIntegerArray sum = new AtomicIntegerArray(1);
                            pool.forRange(64, 1, (from, to) -> sum.addAndGet(0, to - from));
                            totals[caller] += sum.get(0);
                        }
                    });
                    callers[c].start();
                }
                for (Thread t : callers) {
                    t.join();
                }
                assertEquals(64L * 2000, totals[0]);
                assertEquals(64L * 2000, totals[1]);
            }
        });
    }
}
