package org.mixq.kernels;

import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.JCudaDriver;

/**
 * Times device work with a pair of CUDA events recorded on the backend's stream: the time the
 * device spent between {@link #start()} and {@link #stopMillis()}, without host overhead.
 */
public final class CudaTimer implements AutoCloseable {
    private final CudaContext ctx;
    private final CUevent start = new CUevent();
    private final CUevent stop = new CUevent();
    private boolean closed;

    CudaTimer(CudaContext ctx) {
        this.ctx = ctx;
        ctx.bind();
        CudaDiagnostics.check(JCudaDriver.cuEventCreate(start, CUevent_flags.CU_EVENT_DEFAULT), "cuEventCreate");
        int rc = JCudaDriver.cuEventCreate(stop, CUevent_flags.CU_EVENT_DEFAULT);
        if (rc != 0) {
            JCudaDriver.cuEventDestroy(start);
            CudaDiagnostics.check(rc, "cuEventCreate");
        }
    }

    /** Records the start event after the work queued so far. */
    public void start() {
        ctx.bind();
        CudaDiagnostics.check(JCudaDriver.cuEventRecord(start, ctx.stream), "cuEventRecord");
    }

    /** Records the stop event, waits for it, and returns the device time since {@link #start()} in ms. */
    public float stopMillis() {
        ctx.bind();
        CudaDiagnostics.check(JCudaDriver.cuEventRecord(stop, ctx.stream), "cuEventRecord");
        CudaDiagnostics.check(JCudaDriver.cuEventSynchronize(stop), "cuEventSynchronize");
        float[] ms = new float[1];
        CudaDiagnostics.check(JCudaDriver.cuEventElapsedTime(ms, start, stop), "cuEventElapsedTime");
        return ms[0];
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            CudaDiagnostics.check(JCudaDriver.cuEventDestroy(start), "cuEventDestroy");
            CudaDiagnostics.check(JCudaDriver.cuEventDestroy(stop), "cuEventDestroy");
        }
    }
}
