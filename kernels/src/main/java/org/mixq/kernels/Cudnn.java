package org.mixq.kernels;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnMathType;
import jcuda.runtime.cudaStream_t;
import org.mixq.core.ConvGeometry;

/**
 * Convolutions through cuDNN: the JCudnn 11.7.0 Java API over the 12.6.0 natives, which need
 * libcudnn.so.9. Descriptors and the qualifying algorithms are cached per convolution shape
 * ({@link CudnnConvPlan}); workspaces come from the backend's pool.
 *
 * <p>Algorithm choice: the best-ranked of cuDNN's heuristics that is supported, deterministic and
 * within the workspace limit runs; one that cuDNN then refuses to run is dropped for the next.
 * The descriptors' math type CUDNN_FMA_MATH keeps FP32 convolutions off the TF32 tensor cores
 * (CUDNN_DEFAULT_MATH allows them on Ampere and later), unless TF32 was asked for. A pass left
 * with no algorithm goes to the im2col path ({@code forward} and friends return false).
 */
final class Cudnn implements AutoCloseable {
    /**
     * cuDNN 9 numbers its statuses by category (cudnn_graph.h): 0 success, 2000 bad parameter,
     * 3000 not supported, 4000 internal error, 5000 execution failed, each with sub-codes. The
     * constants of JCudnn 11.7's {@code cudnnStatus} carry cuDNN 8's numbers (not supported = 9),
     * which the cuDNN 9 natives never return, so they are not used.
     */
    static final int STATUS_SUCCESS = 0;
    static final int STATUS_NOT_SUPPORTED = 3000;

    /** Host scaling factors alpha and beta of cuDNN's {@code y = alpha * op + beta * y}. */
    private final Pointer one = Pointer.to(new float[] {1f});
    private final Pointer zero = Pointer.to(new float[] {0f});
    private final CudaContext ctx;
    private final cudnnHandle handle = new cudnnHandle();
    private final int mathType;
    private final long workspaceLimit;
    private final String version;
    private final Map<ConvGeometry, CudnnConvPlan> plans = new HashMap<>();
    /** The last failed query or refused algorithm, for describe(); null when none. */
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

    /** y = conv(x, w), overwritten; false where no algorithm qualifies and runs for this shape. */
    boolean forward(CUdeviceptr y, CUdeviceptr x, CUdeviceptr w, ConvGeometry g) {
        CudnnConvPlan p = plan(g);
        return run(p.forward, () -> p.queryForward(handle, workspaceLimit), (algo, ws, bytes) ->
                JCudnn.cudnnConvolutionForward(handle, one, p.x, x, p.w, w, p.conv, algo, ws, bytes, zero, p.y, y),
                "cudnnConvolutionForward");
    }

    /** dx, overwritten; false where no algorithm qualifies and runs. */
    boolean backwardData(CUdeviceptr dx, CUdeviceptr dy, CUdeviceptr w, ConvGeometry g) {
        CudnnConvPlan p = plan(g);
        return run(p.backwardData, () -> p.queryBackwardData(handle, workspaceLimit), (algo, ws, bytes) ->
                JCudnn.cudnnConvolutionBackwardData(handle, one, p.w, w, p.y, dy, p.conv, algo, ws, bytes, zero, p.x, dx),
                "cudnnConvolutionBackwardData");
    }

    /** dw += the filter gradient (beta = 1); false where no algorithm qualifies and runs. */
    boolean backwardFilter(CUdeviceptr dw, CUdeviceptr dy, CUdeviceptr x, ConvGeometry g) {
        CudnnConvPlan p = plan(g);
        return run(p.backwardFilter, () -> p.queryBackwardFilter(handle, workspaceLimit), (algo, ws, bytes) ->
                JCudnn.cudnnConvolutionBackwardFilter(handle, one, p.x, x, p.y, dy, p.conv, algo, ws, bytes, one, p.w, dw),
                "cudnnConvolutionBackwardFilter");
    }

    /** One convolution call of cuDNN with an algorithm and its workspace; returns the status. */
    @FunctionalInterface
    private interface Launch {
        int run(int algo, CUdeviceptr workspace, long bytes);
    }

    /**
     * Runs a pass with its current algorithm, querying the candidates on first use. An algorithm
     * that answers "not supported" is dropped for this shape and the next one runs; false when
     * none is left, so that the caller's im2col path serves.
     */
    private boolean run(CudnnConvPlan.Pass pass, Runnable query, Launch launch, String call) {
        if (!pass.queried()) {
            try {
                query.run();
            } catch (CudaCallException e) {
                pass.none();
                lastRefusal = e.getMessage();
            }
        }
        for (; !pass.exhausted(); pass.refuse()) {
            try (CudaBuffer ws = ctx.scratch(pass.workspace())) {
                int status = launch.run(pass.algo(), ws.ptr(), pass.workspace());
                if (!notSupported(status)) {
                    check(status, call);
                    return true;
                }
                lastRefusal = call + " with algorithm " + pass.algo() + ": " + JCudnn.cudnnGetErrorString(status);
            }
        }
        return false;
    }

    /** How many shapes are planned, and how many of their passes fell back to im2col. */
    String planSummary() {
        int fallbacks = 0;
        for (CudnnConvPlan p : plans.values()) {
            for (CudnnConvPlan.Pass pass : List.of(p.forward, p.backwardData, p.backwardFilter)) {
                fallbacks += pass.queried() && pass.exhausted() ? 1 : 0;
            }
        }
        return plans.size() + " shape(s) planned" + (fallbacks > 0 ? ", " + fallbacks + " pass(es) left to im2col" : "")
                + (lastRefusal == null ? "" : " (last refusal: " + lastRefusal + ")");
    }

    private CudnnConvPlan plan(ConvGeometry g) {
        CudnnConvPlan p = plans.get(g);
        if (p == null) {
            p = new CudnnConvPlan(g, mathType);
            plans.put(g, p);
        }
        return p;
    }

    /** cuDNN 9's "not supported" category (3000 to 3999: shape, data type, layout and so on). */
    static boolean notSupported(int status) {
        return status / 1000 == STATUS_NOT_SUPPORTED / 1000;
    }

    static void check(int status, String call) {
        if (status != STATUS_SUCCESS) {
            throw new CudaCallException(call, status, JCudnn.cudnnGetErrorString(status));
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
