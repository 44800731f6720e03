package org.mixq.kernels;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * A caching device allocator. Requests are rounded up to a size class and released blocks are
 * kept in a free list per class, so a training step that allocates the same shapes as the one
 * before reuses blocks and never calls cuMemAlloc (whose partner cuMemFree also synchronizes the
 * device). Blocks go back to the driver only when an allocation fails for lack of memory (then
 * the allocation is retried once) and when the allocator closes.
 *
 * <p>Reusing a block as soon as it is released is safe because the backend issues all its work
 * on one stream: a kernel that wrote a released block runs before any kernel that is queued
 * later with the same block as its new owner.
 */
final class DeviceAllocator implements AutoCloseable {
    /** Requests up to this size round up to a multiple of {@link #SMALL_STEP}. */
    static final long SMALL_LIMIT = 1L << 20;
    static final long SMALL_STEP = 512;

    /** A device block: its pointer and its size class in bytes. */
    static final class Block {
        final CUdeviceptr ptr;
        final long bytes;

        Block(CUdeviceptr ptr, long bytes) {
            this.ptr = ptr;
            this.bytes = bytes;
        }
    }

    /** Counters for {@code describe()} and for tests that a steady state allocates nothing new. */
    record Stats(long requests, long reused, long driverAllocations, long driverFrees, long bytesInUse,
                 long bytesCached, long peakBytesInUse) {
        @Override
        public String toString() {
            return "pool " + CudaDiagnostics.bytes(bytesInUse) + " in use, " + CudaDiagnostics.bytes(bytesCached)
                    + " cached, peak "
                    + CudaDiagnostics.bytes(peakBytesInUse) + ", " + driverAllocations + " cuMemAlloc for " + requests
                    + " requests";
        }
    }

    private final Map<Long, ArrayDeque<Block>> free = new HashMap<>();
    private final Set<Block> live = Collections.newSetFromMap(new IdentityHashMap<>());
    private long requests;
    private long reused;
    private long driverAllocations;
    private long driverFrees;
    private long bytesInUse;
    private long bytesCached;
    private long peakBytesInUse;
    private boolean closed;

    /**
     * The size class of a request: small requests round up to 512 bytes; larger ones to a
     * quarter of their highest power of two, so a block wastes less than 25 % and the number of
     * classes stays small (four per doubling).
     */
    static long sizeClass(long bytes) {
        if (bytes <= 0) {
            return 0;
        }
        if (bytes <= SMALL_LIMIT) {
            return (bytes + SMALL_STEP - 1) / SMALL_STEP * SMALL_STEP;
        }
        long step = Long.highestOneBit(bytes) / 4;
        return (bytes + step - 1) / step * step;
    }

    /** A block of at least {@code bytes}; a zero-byte request gets a block with a null pointer. */
    synchronized Block allocate(long bytes) {
        if (closed) {
            throw new IllegalStateException("the CUDA backend is closed");
        }
        requests++;
        long size = sizeClass(bytes);
        if (size == 0) {
            return new Block(new CUdeviceptr(), 0);
        }
        ArrayDeque<Block> list = free.get(size);
        Block b = list == null ? null : list.pollFirst();
        if (b != null) {
            reused++;
            bytesCached -= size;
        } else {
            b = new Block(driverAllocate(bytes, size), size);
            live.add(b);
        }
        bytesInUse += size;
        peakBytesInUse = Math.max(peakBytesInUse, bytesInUse);
        return b;
    }

    /** Returns a block to its free list; ignored after {@link #close()}, which freed every block. */
    synchronized void release(Block b) {
        if (closed || b.bytes == 0) {
            return;
        }
        bytesInUse -= b.bytes;
        bytesCached += b.bytes;
        free.computeIfAbsent(b.bytes, k -> new ArrayDeque<>()).addFirst(b);
    }

    synchronized Stats stats() {
        return new Stats(requests, reused, driverAllocations, driverFrees, bytesInUse, bytesCached, peakBytesInUse);
    }

    /** Gives every cached (unused) block back to the driver. */
    synchronized void releaseCached() {
        for (ArrayDeque<Block> list : free.values()) {
            for (Block b : list) {
                driverFree(b);
            }
        }
        free.clear();
        bytesCached = 0;
    }

    private CUdeviceptr driverAllocate(long request, long size) {
        CUdeviceptr p = new CUdeviceptr();
        int rc = JCudaDriver.cuMemAlloc(p, size);
        if (rc == CUresult.CUDA_ERROR_OUT_OF_MEMORY && bytesCached > 0) {
            releaseCached();
            rc = JCudaDriver.cuMemAlloc(p, size);
        }
        if (rc == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            long[] freeBytes = new long[1];
            long[] totalBytes = new long[1];
            CudaDiagnostics.check(JCudaDriver.cuMemGetInfo(freeBytes, totalBytes), "cuMemGetInfo");
            throw new DeviceOutOfMemoryException("CUDA out of memory: asked for " + CudaDiagnostics.bytes(request) + ", "
                    + CudaDiagnostics.bytes(freeBytes[0]) + " free of " + CudaDiagnostics.bytes(totalBytes[0])
                    + " (this backend holds "
                    + CudaDiagnostics.bytes(bytesInUse) + " in " + live.size() + " blocks); use a smaller batch size");
        }
        CudaDiagnostics.check(rc, "cuMemAlloc(" + size + ")");
        driverAllocations++;
        return p;
    }

    private void driverFree(Block b) {
        live.remove(b);
        CudaDiagnostics.check(JCudaDriver.cuMemFree(b.ptr), "cuMemFree");
        driverFrees++;
    }

    /** Frees every block, in use or cached; buffers released afterwards are ignored. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        for (Block b : live.toArray(new Block[0])) {
            driverFree(b);
        }
        free.clear();
        bytesCached = 0;
        bytesInUse = 0;
        closed = true;
    }
}
