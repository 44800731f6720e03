package org.mixq.kernels;

import java.util.ArrayList;
import java.util.List;
import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionMode;
import jcuda.jcudnn.cudnnDataType;
import jcuda.jcudnn.cudnnDeterminism;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.jcudnn.cudnnTensorFormat;
import org.mixq.core.ConvGeometry;

/**
 * The cuDNN descriptors of one convolution shape (NCHW float input x, KCRS filter w, output y)
 * and, for each pass, the algorithms that qualify, best first, queried the first time the pass
 * runs.
 *
 * <p>An algorithm qualifies when cuDNN's heuristics (the *_v7 queries, which run nothing and
 * allocate nothing) list it as supported and deterministic, with a workspace within the limit.
 * The heuristics' math type is not a criterion: JCudnn's native leaves that field of its result
 * objects at 0 (seen with the 12.6.0 natives against a library built to cuDNN 9's struct layout),
 * so it cannot be read. What keeps FP32 convolutions off the TF32 tensor cores is the
 * descriptor's math type, CUDNN_FMA_MATH; an algorithm that then refuses to run with it is
 * skipped for the next one ({@link Pass#refuse()}).
 */
final class CudnnConvPlan implements AutoCloseable {
    final cudnnTensorDescriptor x = new cudnnTensorDescriptor();
    final cudnnTensorDescriptor y = new cudnnTensorDescriptor();
    final cudnnFilterDescriptor w = new cudnnFilterDescriptor();
    final cudnnConvolutionDescriptor conv = new cudnnConvolutionDescriptor();
    final Pass forward = new Pass();
    final Pass backwardData = new Pass();
    final Pass backwardFilter = new Pass();
    private int created;

    /** The qualifying algorithms of one pass, best first, and the one that runs now. */
    static final class Pass {
        /** An algorithm and the workspace it asks for. */
        private record Candidate(int algo, long workspace) {
        }

        private List<Candidate> candidates;
        private int current;

        boolean queried() {
            return candidates != null;
        }

        /** Whether every qualifying algorithm refused (or none qualified): im2col serves. */
        boolean exhausted() {
            return current >= candidates.size();
        }

        int algo() {
            return candidates.get(current).algo();
        }

        long workspace() {
            return candidates.get(current).workspace();
        }

        /** The current algorithm refused to run for this shape: the next one runs from now on. */
        void refuse() {
            current++;
        }

        /** No algorithm at all, as when the query itself failed. */
        void none() {
            candidates = List.of();
        }

        /** Starts the list that {@link #consider} fills, in cuDNN's order. */
        private void start() {
            candidates = new ArrayList<>();
            current = 0;
        }

        /** Keeps an algorithm of cuDNN's list when it qualifies. */
        private void consider(int algo, int status, int determinism, long memory, long limit) {
            if (qualifies(status, determinism, memory, limit)) {
                candidates.add(new Candidate(algo, memory));
            }
        }

        static boolean qualifies(int status, int determinism, long memory, long limit) {
            return status == Cudnn.STATUS_SUCCESS && determinism == cudnnDeterminism.CUDNN_DETERMINISTIC
                    && memory <= limit;
        }
    }

    CudnnConvPlan(ConvGeometry g, int mathType) {
        try {
            Cudnn.check(JCudnn.cudnnCreateTensorDescriptor(x), "cudnnCreateTensorDescriptor");
            created++;
            Cudnn.check(JCudnn.cudnnCreateTensorDescriptor(y), "cudnnCreateTensorDescriptor");
            created++;
            Cudnn.check(JCudnn.cudnnCreateFilterDescriptor(w), "cudnnCreateFilterDescriptor");
            created++;
            Cudnn.check(JCudnn.cudnnCreateConvolutionDescriptor(conv), "cudnnCreateConvolutionDescriptor");
            created++;
            int nchw = cudnnTensorFormat.CUDNN_TENSOR_NCHW;
            int f32 = cudnnDataType.CUDNN_DATA_FLOAT;
            Cudnn.check(JCudnn.cudnnSetTensor4dDescriptor(x, nchw, f32, g.n(), g.c(), g.h(), g.w()), "cudnnSetTensor4dDescriptor(x)");
            Cudnn.check(JCudnn.cudnnSetTensor4dDescriptor(y, nchw, f32, g.n(), g.k(), g.p(), g.q()), "cudnnSetTensor4dDescriptor(y)");
            Cudnn.check(JCudnn.cudnnSetFilter4dDescriptor(w, f32, nchw, g.k(), g.c(), g.r(), g.s()), "cudnnSetFilter4dDescriptor");
            Cudnn.check(JCudnn.cudnnSetConvolution2dDescriptor(conv, g.padH(), g.padW(), g.strideH(), g.strideW(), 1, 1,
                    cudnnConvolutionMode.CUDNN_CROSS_CORRELATION, f32), "cudnnSetConvolution2dDescriptor");
            Cudnn.check(JCudnn.cudnnSetConvolutionMathType(conv, mathType), "cudnnSetConvolutionMathType");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    void queryForward(cudnnHandle handle, long limit) {
        int[] max = new int[1];
        Cudnn.check(JCudnn.cudnnGetConvolutionForwardAlgorithmMaxCount(handle, max), "cudnnGetConvolutionForwardAlgorithmMaxCount");
        cudnnConvolutionFwdAlgoPerf[] perf = new cudnnConvolutionFwdAlgoPerf[Math.max(1, max[0])];
        int[] count = new int[1];
        Cudnn.check(JCudnn.cudnnGetConvolutionForwardAlgorithm_v7(handle, x, w, conv, y, perf.length, count, perf),
                "cudnnGetConvolutionForwardAlgorithm_v7");
        forward.start();
        for (int i = 0; i < count[0]; i++) {
            forward.consider(perf[i].algo, perf[i].status, perf[i].determinism, perf[i].memory, limit);
        }
    }

    void queryBackwardData(cudnnHandle handle, long limit) {
        int[] max = new int[1];
        Cudnn.check(JCudnn.cudnnGetConvolutionBackwardDataAlgorithmMaxCount(handle, max),
                "cudnnGetConvolutionBackwardDataAlgorithmMaxCount");
        cudnnConvolutionBwdDataAlgoPerf[] perf = new cudnnConvolutionBwdDataAlgoPerf[Math.max(1, max[0])];
        int[] count = new int[1];
        Cudnn.check(JCudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(handle, w, y, conv, x, perf.length, count, perf),
                "cudnnGetConvolutionBackwardDataAlgorithm_v7");
        backwardData.start();
        for (int i = 0; i < count[0]; i++) {
            backwardData.consider(perf[i].algo, perf[i].status, perf[i].determinism, perf[i].memory, limit);
        }
    }

    void queryBackwardFilter(cudnnHandle handle, long limit) {
        int[] max = new int[1];
        Cudnn.check(JCudnn.cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(handle, max),
                "cudnnGetConvolutionBackwardFilterAlgorithmMaxCount");
        cudnnConvolutionBwdFilterAlgoPerf[] perf = new cudnnConvolutionBwdFilterAlgoPerf[Math.max(1, max[0])];
        int[] count = new int[1];
        Cudnn.check(JCudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(handle, x, y, conv, w, perf.length, count, perf),
                "cudnnGetConvolutionBackwardFilterAlgorithm_v7");
        backwardFilter.start();
        for (int i = 0; i < count[0]; i++) {
            backwardFilter.consider(perf[i].algo, perf[i].status, perf[i].determinism, perf[i].memory, limit);
        }
    }

    /** Destroys the descriptors created so far, in reverse order. */
    @Override
    public void close() {
        if (created > 3) {
            JCudnn.cudnnDestroyConvolutionDescriptor(conv);
        }
        if (created > 2) {
            JCudnn.cudnnDestroyFilterDescriptor(w);
        }
        if (created > 1) {
            JCudnn.cudnnDestroyTensorDescriptor(y);
        }
        if (created > 0) {
            JCudnn.cudnnDestroyTensorDescriptor(x);
        }
        created = 0;
    }
}
