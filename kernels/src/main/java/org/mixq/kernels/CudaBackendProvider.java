package org.mixq.kernels;

import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;
import org.mixq.core.Backend;
import org.mixq.core.BackendProvider;
import org.mixq.core.BackendUnavailableException;

/**
 * Registers the CUDA backend with {@link org.mixq.core.Backends}. Its priority is above the
 * CPU's, so {@link org.mixq.core.Backends#best()} picks the GPU wherever the probe succeeds.
 *
 * <p>Without a driver, the first touch of {@link JCudaDriver} throws UnsatisfiedLinkError (its
 * native needs libcuda.so.1) and every later touch NoClassDefFoundError; {@link Natives} keeps
 * the first error's reason, which becomes the one-line "unusable" detail. A driver without a
 * device answers cuInit with CUDA_ERROR_NO_DEVICE.
 */
public final class CudaBackendProvider implements BackendProvider {
    /** Above the CPU backend's 0. */
    public static final int PRIORITY = 10;

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    /** Never throws: a malformed mixq.cuda.* property is also an "unusable" reason. */
    @Override
    public Probe probe() {
        CudaOptions options;
        try {
            options = CudaOptions.fromSystemProperties();
        } catch (IllegalArgumentException e) {
            return Probe.unusable(e.getMessage());
        }
        return probe(options.device());
    }

    /** Probes device {@code ordinal}: usable with its description, or unusable with the reason. */
    public static Probe probe(int ordinal) {
        String missing = Natives.driverMissing();
        if (missing != null) {
            return Probe.unusable("no CUDA driver (" + missing + ")");
        }
        try {
            int rc = JCudaDriver.cuInit(0);
            if (rc == CUresult.CUDA_ERROR_NO_DEVICE) {
                return Probe.unusable("no CUDA device (the driver is installed, cuInit reports CUDA_ERROR_NO_DEVICE)");
            }
            if (rc != CUresult.CUDA_SUCCESS) {
                return Probe.unusable("the CUDA driver failed to initialize: cuInit returned " + CUresult.stringFor(rc));
            }
            int[] count = new int[1];
            CudaDiagnostics.check(JCudaDriver.cuDeviceGetCount(count), "cuDeviceGetCount");
            if (count[0] == 0) {
                return Probe.unusable("no CUDA device (cuDeviceGetCount = 0)");
            }
            if (ordinal >= count[0]) {
                return Probe.unusable("mixq.cuda.device = " + ordinal + " but the driver sees " + count[0] + " device(s)");
            }
            DeviceInfo info = DeviceInfo.query(ordinal);
            String unloadable = KernelModule.unloadableReason(info.arch(), info.driverVersion());
            if (unloadable != null) {
                return Probe.unusable(info.name() + ": " + unloadable);
            }
            String which = count[0] > 1 ? " (device " + ordinal + " of " + count[0] + ")" : "";
            return Probe.ok(info.summary() + which);
        } catch (LinkageError e) {
            return Probe.unusable("no CUDA driver (" + CudaDiagnostics.nativeReason(e) + ")");
        } catch (CudaCallException e) {
            return Probe.unusable(e.getMessage());
        }
    }

    @Override
    public Backend create() {
        return create(CudaOptions.fromSystemProperties());
    }

    /** A CUDA backend with explicit options; fails with the probe's reason where no device is usable. */
    public static CudaBackend create(CudaOptions options) {
        Probe p = probe(options.device());
        if (!p.usable()) {
            throw new BackendUnavailableException("backend cuda is not usable: " + p.detail());
        }
        return new CudaBackend(options);
    }
}
