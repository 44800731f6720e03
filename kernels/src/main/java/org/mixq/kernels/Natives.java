package org.mixq.kernels;

import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcudnn.JCudnn;
import jcuda.nvrtc.JNvrtc;

/**
 * Whether each JCuda native library loaded in this process, and if not, why (one line).
 *
 * <p>A JCuda class loads its native in its static initializer. The first touch of a class
 * whose native cannot load throws UnsatisfiedLinkError, which names the missing system library;
 * every later touch throws only "NoClassDefFoundError: Could not initialize class". So the first
 * error's reason is kept, once per process (as JCuda keeps its own load state), in a holder
 * class per library: the holder initializes on first use, and its field never changes.
 */
final class Natives {
    private Natives() {
    }

    /** Null where JCudaDriver loaded (it needs libcuda.so.1), else the reason. */
    static String driverMissing() {
        return Driver.MISSING;
    }

    /** Null where JCublas2 loaded (it needs libcublas.so.12), else the reason. */
    static String cublasMissing() {
        return Cublas.MISSING;
    }

    /** Null where JCudnn loaded (the 12.6.0 native needs libcudnn.so.9), else the reason. */
    static String cudnnMissing() {
        return Cudnn.MISSING;
    }

    /** Null where JNvrtc loaded (it needs libnvrtc.so.12), else the reason. */
    static String nvrtcMissing() {
        return Nvrtc.MISSING;
    }

    private static String firstTouch(Runnable touch) {
        try {
            touch.run();
            return null;
        } catch (LinkageError e) {
            return CudaDiagnostics.nativeReason(e);
        }
    }

    private static final class Driver {
        static final String MISSING = firstTouch(() -> JCudaDriver.setExceptionsEnabled(false));
    }

    private static final class Cublas {
        static final String MISSING = firstTouch(() -> JCublas2.setExceptionsEnabled(false));
    }

    private static final class Cudnn {
        static final String MISSING = firstTouch(() -> JCudnn.setExceptionsEnabled(false));
    }

    private static final class Nvrtc {
        static final String MISSING = firstTouch(() -> JNvrtc.setExceptionsEnabled(false));
    }
}
