package org.mixq.core.cpu;

import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of worker threads that splits a range of independent work items into contiguous
 * chunks, one per thread; the caller runs the first chunk. Work is split by output ownership,
 * never by reduction, so results are bit-identical for any thread count.
 *
 * <p>A training step hands work over a few hundred times, often for well under a millisecond of
 * work. Through an executor and futures the operating system parks and wakes the worker at every
 * hand-off, which costs a large part of such a short op (measured: bench/RESULTS.md, "After the
 * thread hand-off change"), so a worker here spins for {@link #SPIN_NANOS} after each chunk,
 * watching its slot, before it parks; the caller spins while it waits for the workers' chunks,
 * then yields.
 */
public final class CpuThreads implements AutoCloseable {
    /** Body of a parallel loop over the items {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /** Body of a loop over the items {@code [from, to)} given to the thread numbered {@code part}. */
    @FunctionalInterface
    public interface Parts {
        void run(int part, int from, int to);
    }

    /** How long an idle worker watches its slot before it parks: about one short op. */
    private static final long SPIN_NANOS = 200_000;
    /** How long the caller spins for a worker's chunk before it yields the CPU between checks. */
    private static final long WAIT_SPIN_NANOS = 50_000;

    /** One chunk handed to a worker; {@code done} is written last, after any failure. */
    private static final class Chunk {
        final Range body;
        final int from;
        final int to;
        volatile Throwable failure;
        volatile boolean done;

        Chunk(Range body, int from, int to) {
            this.body = body;
            this.from = from;
            this.to = to;
        }
    }

    private static final class Worker implements Runnable {
        volatile Chunk slot;
        volatile boolean closed;
        Thread thread;

        @Override
        public void run() {
            while (!closed) {
                Chunk chunk = slot;
                if (chunk == null) {
                    chunk = await();
                    if (chunk == null) {
                        continue;
                    }
                }
                slot = null;
                try {
                    chunk.body.run(chunk.from, chunk.to);
                } catch (Throwable t) {
                    chunk.failure = t;
                }
                chunk.done = true;
            }
        }

        /** Spins for a while, then parks; null when woken without work (or closed). */
        private Chunk await() {
            long start = System.nanoTime();
            while (System.nanoTime() - start < SPIN_NANOS) {
                Chunk chunk = slot;
                if (chunk != null || closed) {
                    return chunk;
                }
                Thread.onSpinWait();
            }
            LockSupport.park(this);
            return slot;
        }
    }

    private final int threads;
    private final Worker[] workers;

    public CpuThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            Worker w = new Worker();
            w.thread = new Thread(w, "mixq-cpu");
            w.thread.setDaemon(true);
            w.thread.start();
            workers[i] = w;
        }
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in up to {@code threads} chunks; ranges of fewer than
     * {@code minPerThread} items per thread run on fewer threads. Callers from several threads
     * take turns (the workers' slots hold one chunk each); a body must not call back into the
     * pool from a worker.
     */
    public synchronized void forRange(int n, int minPerThread, Range body) {
        int parts = Math.min(threads, Math.max(1, n / Math.max(1, minPerThread)));
        if (parts <= 1) {
            body.run(0, n);
            return;
        }
        Chunk[] chunks = new Chunk[parts - 1];
        for (int p = 1; p < parts; p++) {
            Chunk chunk = new Chunk(body, (int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts));
            chunks[p - 1] = chunk;
            Worker w = workers[p - 1];
            w.slot = chunk;
            LockSupport.unpark(w.thread);
        }
        body.run(0, (int) ((long) n / parts));
        for (Chunk chunk : chunks) {
            awaitDone(chunk);
            Throwable failure = chunk.failure;
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        }
    }

    /**
     * Cuts {@code [0, items)} into {@code min(threads, items)} contiguous ranges and runs each on
     * its own thread, with the range's number {@code part} (0, 1, ...), by which a body picks its
     * thread's scratch. Callers whose items are tiles fixed by the problem get results that do
     * not depend on the thread count: only which thread runs a tile changes.
     */
    public void forParts(int items, Parts body) {
        int parts = Math.min(threads, items);
        forRange(parts, 1, (from, to) -> {
            for (int part = from; part < to; part++) {
                body.run(part, (int) ((long) items * part / parts), (int) ((long) items * (part + 1) / parts));
            }
        });
    }

    private static void awaitDone(Chunk chunk) {
        long start = System.nanoTime();
        while (!chunk.done) {
            if (System.nanoTime() - start < WAIT_SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    @Override
    public void close() {
        for (Worker w : workers) {
            w.closed = true;
            LockSupport.unpark(w.thread);
        }
    }
}
