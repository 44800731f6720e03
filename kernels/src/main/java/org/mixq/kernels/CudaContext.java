package org.mixq.kernels;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;

/**
 * The device side of one backend: the device's primary context (the one the CUDA runtime, and
 * so cuBLAS and cuDNN, use too), one stream for all work, the caching allocator and the loaded
 * kernel files. Created and closed in one place, in reverse order.
 *
 * <p>The stream is a blocking one (CU_STREAM_DEFAULT): the synchronous copies of copyIn and
 * copyOut run on the legacy default stream, which waits for it and which it waits for, so host
 * copies are ordered with the queued kernels without explicit events.
 */
final class CudaContext implements AutoCloseable {
    /** Threads per block of the elementwise kernels. */
    static final int THREADS = 256;

    final DeviceInfo info;
    final DeviceAllocator allocator = new DeviceAllocator();
    final CUstream stream = new CUstream();
    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final Map<KernelSource, KernelModule> modules = new EnumMap<>(KernelSource.class);
    private final ThreadLocal<Boolean> bound = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final boolean syncEachOp;
    private boolean retained;
    private boolean streamCreated;
    private boolean closed;

    CudaContext(int ordinal, boolean syncEachOp) {
        this.syncEachOp = syncEachOp;
        CudaDiagnostics.check(JCudaDriver.cuInit(0), "cuInit");
        this.info = DeviceInfo.query(ordinal);
        try {
            CudaDiagnostics.check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet");
            CudaDiagnostics.check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
            retained = true;
            bind();
            CudaDiagnostics.check(JCudaDriver.cuStreamCreate(stream, CUstream_flags.CU_STREAM_DEFAULT), "cuStreamCreate");
            streamCreated = true;
            for (KernelSource s : KernelSource.values()) {
                modules.put(s, KernelModule.load(s, info.arch()));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Makes the context current on the calling thread (once per thread). */
    void bind() {
        if (!bound.get()) {
            CudaDiagnostics.check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
            bound.set(Boolean.TRUE);
        }
    }

    KernelModule module(KernelSource source) {
        return modules.get(source);
    }

    /** Where the kernel files came from, e.g. "PTX compute_90" when all share one origin. */
    String kernelOrigins() {
        Map<String, List<String>> byOrigin = new LinkedHashMap<>();
        modules.forEach((s, m) -> byOrigin.computeIfAbsent(m.origin(), k -> new ArrayList<>()).add(s.file));
        if (byOrigin.size() == 1) {
            return byOrigin.keySet().iterator().next();
        }
        return byOrigin.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining("; "));
    }

    /** A workspace of at least {@code bytes} from the pool; close it once its kernels are queued. */
    CudaBuffer scratch(long bytes) {
        return new CudaBuffer(allocator, (bytes + Float.BYTES - 1) / Float.BYTES);
    }

    /**
     * Blocks for a grid-stride loop over {@code work} items: enough to cover the work, at most
     * 16 blocks per multiprocessor (more only adds scheduling), at least 1.
     */
    int grid(long work, int threads) {
        long blocks = (work + threads - 1) / threads;
        return (int) Math.max(1, Math.min(blocks, 16L * info.multiprocessors()));
    }

    /**
     * Queues a kernel on the stream. Arguments are device pointers ({@link CUdeviceptr}) and
     * boxed int, long, float or double values, in the kernel's parameter order.
     */
    void launch(KernelModule.Kernel kernel, int gridX, int gridY, int gridZ, int threads, Object... args) {
        NativePointerObject[] params = new NativePointerObject[args.length];
        for (int i = 0; i < args.length; i++) {
            params[i] = param(kernel, i, args[i]);
        }
        CUfunction f = kernel.function();
        CudaDiagnostics.check(
                JCudaDriver.cuLaunchKernel(f, gridX, gridY, gridZ, threads, 1, 1, 0, stream, Pointer.to(params), null),
                "cuLaunchKernel(" + kernel.name() + ")");
        if (syncEachOp) {
            CudaDiagnostics.check(JCudaDriver.cuStreamSynchronize(stream), "kernel " + kernel.name());
        }
    }

    private static Pointer param(KernelModule.Kernel kernel, int index, Object a) {
        if (a instanceof CUdeviceptr p) {
            return Pointer.to(p);
        }
        if (a instanceof Integer v) {
            return Pointer.to(new int[] {v});
        }
        if (a instanceof Long v) {
            return Pointer.to(new long[] {v});
        }
        if (a instanceof Float v) {
            return Pointer.to(new float[] {v});
        }
        if (a instanceof Double v) {
            return Pointer.to(new double[] {v});
        }
        throw new IllegalArgumentException("kernel " + kernel.name() + ": argument " + index + " has unsupported type "
                + (a == null ? "null" : a.getClass().getName()));
    }

    /** Host to device, synchronous (legacy stream: ordered after the queued work). */
    void copyIn(CUdeviceptr dst, float[] src) {
        if (src.length > 0) {
            CudaDiagnostics.check(JCudaDriver.cuMemcpyHtoD(dst, Pointer.to(src), (long) src.length * Float.BYTES),
                    "cuMemcpyHtoD");
        }
    }

    /** Device to host, synchronous: waits for the queued work that writes src. */
    void copyOut(float[] dst, CUdeviceptr src) {
        if (dst.length > 0) {
            CudaDiagnostics.check(JCudaDriver.cuMemcpyDtoH(Pointer.to(dst), src, (long) dst.length * Float.BYTES),
                    "cuMemcpyDtoH");
        }
    }

    void copy(CUdeviceptr dst, CUdeviceptr src, long floats) {
        if (floats > 0) {
            CudaDiagnostics.check(JCudaDriver.cuMemcpyDtoDAsync(dst, src, floats * Float.BYTES, stream),
                    "cuMemcpyDtoDAsync");
        }
    }

    void fill(CUdeviceptr dst, long floats, float value) {
        if (floats > 0) {
            CudaDiagnostics.check(JCudaDriver.cuMemsetD32Async(dst, Float.floatToRawIntBits(value), floats, stream),
                    "cuMemsetD32Async");
        }
    }

    void synchronize() {
        bind();
        CudaDiagnostics.check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
    }

    /** Free and total device memory in bytes. */
    long[] memoryInfo() {
        long[] free = new long[1];
        long[] total = new long[1];
        CudaDiagnostics.check(JCudaDriver.cuMemGetInfo(free, total), "cuMemGetInfo");
        return new long[] {free[0], total[0]};
    }

    /** Waits for queued work, then releases kernels, memory, the stream and the context. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (retained) {
            bind();
        }
        if (streamCreated) {
            CudaDiagnostics.check(JCudaDriver.cuStreamSynchronize(stream), "cuStreamSynchronize");
        }
        for (KernelModule m : modules.values()) {
            m.close();
        }
        modules.clear();
        allocator.close();
        if (streamCreated) {
            CudaDiagnostics.check(JCudaDriver.cuStreamDestroy(stream), "cuStreamDestroy");
        }
        if (retained) {
            CudaDiagnostics.check(JCudaDriver.cuDevicePrimaryCtxRelease(device), "cuDevicePrimaryCtxRelease");
        }
    }
}
