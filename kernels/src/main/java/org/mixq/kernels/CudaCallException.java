package org.mixq.kernels;

/** A CUDA, cuBLAS, cuDNN or NVRTC call returned an error code. */
public class CudaCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;

    public CudaCallException(String call, int code, String name) {
        super(call + " failed: " + name + " (" + code + ")");
        this.code = code;
    }

    /** The library's numeric result code. */
    public int code() {
        return code;
    }
}
