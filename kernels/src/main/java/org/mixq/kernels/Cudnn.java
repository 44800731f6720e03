package org.mixq.kernels;

import java.util.HashMap;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnDeterminism;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnMathType;
import jcuda.jcudnn.cudnnStatus;
import jcuda.runtime.cudaStream_t;
import org.mixq.core.ConvGeometry;

/**
 * Convolutions through cuDNN: the JCudnn 11.7.0 Java API over the 12.6.0 natives, which need
 * libcudnn.so.9. Descriptors and the chosen algorithms are cached per convolution shape
 * ({@link CudnnConvPlan}); workspaces come from the backend's pool.
 *
 * <p>Algorithm choice: cuDNN's heuristics (the *_v7 queries, which run nothing and allocate
 * nothing) rank the algorithms; the first one that is supported, deterministic, not listed for
 * tensor-core math and within the workspace limit is taken. The descriptors' math type
 * CUDNN_FMA_MATH keeps FP32 convolutions off the TF32 tensor cores (CUDNN_DEFAULT_MATH allows
 * them on Ampere and later), unless TF32 was asked for. A pass for which no algorithm qualifies,
 * or whose algorithm cuDNN then refuses to run, is left to the im2col path ({@code forward} and
 * friends return false).
 */
final class Cudnn implements AutoCloseable {
    /** Host scaling factors alpha and beta of cuDNN's {@code y = alpha * op + beta * y}. */
    private final Pointer one = Pointer.to(new float[] {1f});
    private final Pointer zero = Pointer.to(new float[] {0f});
    private final CudaContext ctx;
    private final cudnnHandle handle = new cudnnHandle();
    private final int mathType;
    private final long workspaceLimit;
    private final String version;
    private final Map<ConvGeometry, CudnnConvPlan> plans = new HashMap<>();
    /** The last error of an algorithm query, for describe(); null when none failed. */
    private String lastRefusal;
    private boolean closed;

    /** Opens a handle on the context's stream; a LinkageError means libcudnn.so.9 is missing. */
    Cudnn(CudaContext ctx, boolean tf32) {
        this.ctx = ctx;
        long v = JCudnn.cudnnGetVersion();
        check(JCudnn.cudnnCreate(handle), "cudnnCreate");
        try {
            check(JCudnn.cudnnSetStream(handle, new cudaStream_t(ctx.stream)), "cudnnSetStream");
        } catch (RuntimeException e) {
            JCudnn.cudnnDestroy(handle);
            throw e;
        }
        this.mathType = tf32 ? cudnnMathType.CUDNN_TENSOR_OP_MATH : cudnnMathType.CUDNN_FMA_MATH;
        // an eighth of the memory free at start, at least 64 MiB, for one convolution's workspace
        this.workspaceLimit = Math.max(64L << 20, ctx.memoryInfo()[0] / 8);
        this.version = (v >= 90000 ? v / 10000 + "." + (v % 10000) / 100 : v / 1000 + "." + (v % 1000) / 100) + "."
                + v % 100 + (tf32 ? ", TF32" : "");
    }

    String name() {
        return "cuDNN " + version;
    }

    /** y = conv(x, w), overwritten; false where cuDNN offers no suitable algorithm for this shape. */
    boolean forward(CUdeviceptr y, CUdeviceptr x, CUdeviceptr w, ConvGeometry g) {
        CudnnConvPlan plan = plan(g);
        if (plan.forwardAlgo == CudnnConvPlan.UNCHOSEN) {
            try {
                plan.chooseForward(handle, mathType, workspaceLimit);
            } catch (CudaCallException e) {
                plan.forwardAlgo = CudnnConvPlan.NONE;
                lastRefusal = e.getMessage();
            }
        }
        if (plan.forwardAlgo == CudnnConvPlan.NONE) {
            return false;
        }
        try (CudaBuffer ws = ctx.scratch(plan.forwardWorkspace)) {
            if (unsupported(JCudnn.cudnnConvolutionForward(handle, one, plan.x, x, plan.w, w, plan.conv,
                    plan.forwardAlgo, ws.ptr(), plan.forwardWorkspace, zero, plan.y, y), "cudnnConvolutionForward")) {
                plan.forwardAlgo = CudnnConvPlan.NONE;
                return false;
            }
        }
        return true;
    }

    /** dx, overwritten; false where no suitable algorithm. */
    boolean backwardData(CUdeviceptr dx, CUdeviceptr dy, CUdeviceptr w, ConvGeometry g) {
        CudnnConvPlan plan = plan(g);
        if (plan.dataAlgo == CudnnConvPlan.UNCHOSEN) {
            try {
                plan.chooseBackwardData(handle, mathType, workspaceLimit);
            } catch (CudaCallException e) {
                plan.dataAlgo = CudnnConvPlan.NONE;
                lastRefusal = e.getMessage();
            }
        }
        if (plan.dataAlgo == CudnnConvPlan.NONE) {
            return false;
        }
        try (CudaBuffer ws = ctx.scratch(plan.dataWorkspace)) {
            if (unsupported(JCudnn.cudnnConvolutionBackwardData(handle, one, plan.w, w, plan.y, dy, plan.conv,
                    plan.dataAlgo, ws.ptr(), plan.dataWorkspace, zero, plan.x, dx), "cudnnConvolutionBackwardData")) {
                plan.dataAlgo = CudnnConvPlan.NONE;
                return false;
            }
        }
        return true;
    }

    /** dw += the filter gradient (beta = 1); false where no suitable algorithm. */
    boolean backwardFilter(CUdeviceptr dw, CUdeviceptr dy, CUdeviceptr x, ConvGeometry g) {
        CudnnConvPlan plan = plan(g);
        if (plan.filterAlgo == CudnnConvPlan.UNCHOSEN) {
            try {
                plan.chooseBackwardFilter(handle, mathType, workspaceLimit);
            } catch (CudaCallException e) {
                plan.filterAlgo = CudnnConvPlan.NONE;
                lastRefusal = e.getMessage();
            }
        }
        if (plan.filterAlgo == CudnnConvPlan.NONE) {
            return false;
        }
        try (CudaBuffer ws = ctx.scratch(plan.filterWorkspace)) {
            if (unsupported(JCudnn.cudnnConvolutionBackwardFilter(handle, one, plan.x, x, plan.y, dy, plan.conv,
                    plan.filterAlgo, ws.ptr(), plan.filterWorkspace, one, plan.w, dw), "cudnnConvolutionBackwardFilter")) {
                plan.filterAlgo = CudnnConvPlan.NONE;
                return false;
            }
        }
        return true;
    }

    /** How many shapes are planned, and how many of their passes fell back to im2col. */
    String planSummary() {
        int fallbacks = 0;
        for (CudnnConvPlan p : plans.values()) {
            fallbacks += (p.forwardAlgo == CudnnConvPlan.NONE ? 1 : 0) + (p.dataAlgo == CudnnConvPlan.NONE ? 1 : 0)
                    + (p.filterAlgo == CudnnConvPlan.NONE ? 1 : 0);
        }
        return plans.size() + " shape(s) planned" + (fallbacks > 0 ? ", " + fallbacks + " pass(es) left to im2col" : "")
                + (lastRefusal == null ? "" : " (last query error: " + lastRefusal + ")");
    }

    private CudnnConvPlan plan(ConvGeometry g) {
        CudnnConvPlan p = plans.get(g);
        if (p == null) {
            p = new CudnnConvPlan(g, mathType);
            plans.put(g, p);
        }
        return p;
    }

    /**
     * Supported, deterministic and within the workspace limit; without TF32, an algorithm that
     * cuDNN lists for tensor-core math is refused (the descriptor's FMA math is what runs).
     */
    static boolean acceptable(int status, int determinism, int algoMath, long memory, int mathType, long limit) {
        boolean math = mathType == cudnnMathType.CUDNN_TENSOR_OP_MATH || algoMath == cudnnMathType.CUDNN_FMA_MATH
                || algoMath == cudnnMathType.CUDNN_DEFAULT_MATH;
        return status == cudnnStatus.CUDNN_STATUS_SUCCESS && determinism == cudnnDeterminism.CUDNN_DETERMINISTIC
                && math && memory <= limit;
    }

    static int firstAcceptable(cudnnConvolutionFwdAlgoPerf[] perf, int count, int mathType, long limit) {
        for (int i = 0; i < count; i++) {
            if (acceptable(perf[i].status, perf[i].determinism, perf[i].mathType, perf[i].memory, mathType, limit)) {
                return i;
            }
        }
        return -1;
    }

    static int firstAcceptable(cudnnConvolutionBwdDataAlgoPerf[] perf, int count, int mathType, long limit) {
        for (int i = 0; i < count; i++) {
            if (acceptable(perf[i].status, perf[i].determinism, perf[i].mathType, perf[i].memory, mathType, limit)) {
                return i;
            }
        }
        return -1;
    }

    static int firstAcceptable(cudnnConvolutionBwdFilterAlgoPerf[] perf, int count, int mathType, long limit) {
        for (int i = 0; i < count; i++) {
            if (acceptable(perf[i].status, perf[i].determinism, perf[i].mathType, perf[i].memory, mathType, limit)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * True where cuDNN refuses to run the chosen algorithm with this descriptor
     * (CUDNN_STATUS_NOT_SUPPORTED): the pass then moves to the im2col path for good.
     * Any other error throws.
     */
    private static boolean unsupported(int status, String call) {
        if (status == cudnnStatus.CUDNN_STATUS_NOT_SUPPORTED) {
            return true;
        }
        check(status, call);
        return false;
    }

    static void check(int status, String call) {
        if (status != cudnnStatus.CUDNN_STATUS_SUCCESS) {
            throw new CudaCallException(call, status, cudnnStatus.stringFor(status));
        }
    }

    /** Destroys every cached descriptor, then the handle. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (CudnnConvPlan p : plans.values()) {
            p.close();
        }
        plans.clear();
        check(JCudnn.cudnnDestroy(handle), "cudnnDestroy");
    }
}
