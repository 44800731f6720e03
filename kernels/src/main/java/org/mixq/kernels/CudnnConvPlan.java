package org.mixq.kernels;

import jcuda.jcudnn.JCudnn;
import jcuda.jcudnn.cudnnConvolutionBwdDataAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionBwdFilterAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionDescriptor;
import jcuda.jcudnn.cudnnConvolutionFwdAlgoPerf;
import jcuda.jcudnn.cudnnConvolutionMode;
import jcuda.jcudnn.cudnnDataType;
import jcuda.jcudnn.cudnnFilterDescriptor;
import jcuda.jcudnn.cudnnHandle;
import jcuda.jcudnn.cudnnTensorDescriptor;
import jcuda.jcudnn.cudnnTensorFormat;
import org.mixq.core.ConvGeometry;

/**
 * The cuDNN descriptors of one convolution shape (NCHW float input x, KCRS filter w, output y)
 * and the algorithm chosen for each pass, picked the first time the pass runs.
 */
final class CudnnConvPlan implements AutoCloseable {
    /** Algorithm not chosen yet. */
    static final int UNCHOSEN = -1;
    /** No suitable algorithm: the pass runs on the im2col path. */
    static final int NONE = -2;

    final cudnnTensorDescriptor x = new cudnnTensorDescriptor();
    final cudnnTensorDescriptor y = new cudnnTensorDescriptor();
    final cudnnFilterDescriptor w = new cudnnFilterDescriptor();
    final cudnnConvolutionDescriptor conv = new cudnnConvolutionDescriptor();
    int forwardAlgo = UNCHOSEN;
    int dataAlgo = UNCHOSEN;
    int filterAlgo = UNCHOSEN;
    long forwardWorkspace;
    long dataWorkspace;
    long filterWorkspace;
    private int created;

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

    void chooseForward(cudnnHandle handle, int mathType, long limit) {
        int[] max = new int[1];
        Cudnn.check(JCudnn.cudnnGetConvolutionForwardAlgorithmMaxCount(handle, max), "cudnnGetConvolutionForwardAlgorithmMaxCount");
        cudnnConvolutionFwdAlgoPerf[] perf = new cudnnConvolutionFwdAlgoPerf[Math.max(1, max[0])];
        int[] count = new int[1];
        Cudnn.check(JCudnn.cudnnGetConvolutionForwardAlgorithm_v7(handle, x, w, conv, y, perf.length, count, perf),
                "cudnnGetConvolutionForwardAlgorithm_v7");
        int i = Cudnn.firstAcceptable(perf, count[0], mathType, limit);
        forwardAlgo = i < 0 ? NONE : perf[i].algo;
        forwardWorkspace = i < 0 ? 0 : perf[i].memory;
    }

    void chooseBackwardData(cudnnHandle handle, int mathType, long limit) {
        int[] max = new int[1];
        Cudnn.check(JCudnn.cudnnGetConvolutionBackwardDataAlgorithmMaxCount(handle, max),
                "cudnnGetConvolutionBackwardDataAlgorithmMaxCount");
        cudnnConvolutionBwdDataAlgoPerf[] perf = new cudnnConvolutionBwdDataAlgoPerf[Math.max(1, max[0])];
        int[] count = new int[1];
        Cudnn.check(JCudnn.cudnnGetConvolutionBackwardDataAlgorithm_v7(handle, w, y, conv, x, perf.length, count, perf),
                "cudnnGetConvolutionBackwardDataAlgorithm_v7");
        int i = Cudnn.firstAcceptable(perf, count[0], mathType, limit);
        dataAlgo = i < 0 ? NONE : perf[i].algo;
        dataWorkspace = i < 0 ? 0 : perf[i].memory;
    }

    void chooseBackwardFilter(cudnnHandle handle, int mathType, long limit) {
        int[] max = new int[1];
        Cudnn.check(JCudnn.cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(handle, max),
                "cudnnGetConvolutionBackwardFilterAlgorithmMaxCount");
        cudnnConvolutionBwdFilterAlgoPerf[] perf = new cudnnConvolutionBwdFilterAlgoPerf[Math.max(1, max[0])];
        int[] count = new int[1];
        Cudnn.check(JCudnn.cudnnGetConvolutionBackwardFilterAlgorithm_v7(handle, x, y, conv, w, perf.length, count, perf),
                "cudnnGetConvolutionBackwardFilterAlgorithm_v7");
        int i = Cudnn.firstAcceptable(perf, count[0], mathType, limit);
        filterAlgo = i < 0 ? NONE : perf[i].algo;
        filterWorkspace = i < 0 ? 0 : perf[i].memory;
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
