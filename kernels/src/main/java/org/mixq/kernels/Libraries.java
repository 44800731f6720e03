package org.mixq.kernels;

import org.mixq.core.BackendUnavailableException;

/**
 * cuBLAS and cuDNN, each probed once when the backend starts: opened if requested and
 * loadable, else absent with the reason, so that the hand-written kernels serve instead and
 * {@code describe()} can say why.
 */
final class Libraries implements AutoCloseable {
    /** Null where cuBLAS is not used. */
    final Cublas cublas;
    /** Null where cuDNN is not used. */
    final Cudnn cudnn;
    /** Why cuBLAS is not used (null when it is). */
    final String cublasMissing;
    /** Why cuDNN is not used (null when it is). */
    final String cudnnMissing;

    Libraries(CudaContext ctx, CudaOptions options) {
        String why = null;
        Cublas blas = null;
        if (options.gemm() == CudaOptions.Library.KERNEL) {
            why = "not requested (mixq.cuda.gemm=kernel)";
        } else if (Natives.cublasMissing() != null) {
            why = "unavailable: " + Natives.cublasMissing();
        } else {
            try {
                blas = new Cublas(ctx, options.tf32());
            } catch (LinkageError e) {
                why = "unavailable: " + CudaDiagnostics.nativeReason(e);
            } catch (CudaCallException e) {
                why = "unavailable: " + e.getMessage();
            }
        }
        if (blas == null && options.gemm() == CudaOptions.Library.VENDOR) {
            throw new BackendUnavailableException("mixq.cuda.gemm=cublas but cuBLAS is " + why);
        }
        this.cublas = blas;
        this.cublasMissing = why;

        why = null;
        Cudnn dnn = null;
        if (options.conv() == CudaOptions.Library.KERNEL) {
            why = "not requested (mixq.cuda.conv=im2col)";
        } else if (Natives.cudnnMissing() != null) {
            why = "unavailable: " + Natives.cudnnMissing();
        } else {
            try {
                dnn = new Cudnn(ctx, options.tf32());
            } catch (LinkageError e) {
                why = "unavailable: " + CudaDiagnostics.nativeReason(e);
            } catch (CudaCallException e) {
                why = "unavailable: " + e.getMessage();
            }
        }
        if (dnn == null && options.conv() == CudaOptions.Library.VENDOR) {
            if (blas != null) {
                blas.close();
            }
            throw new BackendUnavailableException("mixq.cuda.conv=cudnn but cuDNN is " + why);
        }
        this.cudnn = dnn;
        this.cudnnMissing = why;
    }

    /** Which provider serves GEMM and convolution, and why a library is not used. */
    String describe(String gemmName) {
        String gemm = gemmName + (cublasMissing == null ? "" : " (cuBLAS " + cublasMissing + ")");
        String conv = cudnn != null
                ? cudnn.name() + " (deterministic FP32 algorithms; " + cudnn.planSummary() + ")"
                : "im2col + " + gemmName + " (cuDNN " + cudnnMissing + ")";
        return "gemm: " + gemm + "; conv: " + conv;
    }

    @Override
    public void close() {
        if (cudnn != null) {
            cudnn.close();
        }
        if (cublas != null) {
            cublas.close();
        }
    }
}
