package org.mixq.core.cpu;

import org.mixq.core.Buffer;

/** A heap float array; the CPU backend's storage. Closing drops nothing: the GC reclaims it. */
final class CpuBuffer implements Buffer {
    final float[] data;

    CpuBuffer(int size) {
        this.data = new float[size];
    }

    @Override
    public long capacity() {
        return data.length;
    }

    @Override
    public void close() {
    }
}
