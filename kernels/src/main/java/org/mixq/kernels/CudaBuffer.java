package org.mixq.kernels;

import jcuda.driver.CUdeviceptr;
import org.mixq.core.Buffer;

/**
 * Device storage of a tensor or of an op's workspace: a block of the backend's caching
 * allocator, returned to it (not to the driver) on {@link #close()}.
 */
final class CudaBuffer implements Buffer {
    private final DeviceAllocator allocator;
    private final DeviceAllocator.Block block;
    private final long capacity;
    private boolean closed;

    CudaBuffer(DeviceAllocator allocator, long floats) {
        this.allocator = allocator;
        this.block = allocator.allocate(floats * Float.BYTES);
        this.capacity = floats;
    }

    /** The device address of element 0 (a null pointer for an empty buffer). */
    CUdeviceptr ptr() {
        if (closed) {
            throw new IllegalStateException("device buffer of " + capacity + " floats is closed");
        }
        return block.ptr;
    }

    /** The device address of element {@code offset}. */
    CUdeviceptr at(long offset) {
        return offset == 0 ? ptr() : ptr().withByteOffset(offset * Float.BYTES);
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            allocator.release(block);
        }
    }
}
