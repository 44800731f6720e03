package org.mixq.kernels;

import java.nio.charset.StandardCharsets;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.JCudaDriver;

/** What the driver says about one device; queried without creating a context. */
record DeviceInfo(int ordinal, String name, long totalBytes, int ccMajor, int ccMinor, int multiprocessors,
                  long l2Bytes, int driverVersion) {

    /** Queries device {@code ordinal}; cuInit must have succeeded. */
    static DeviceInfo query(int ordinal) {
        CUdevice device = new CUdevice();
        CudaDiagnostics.check(JCudaDriver.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")");
        byte[] name = new byte[256];
        CudaDiagnostics.check(JCudaDriver.cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        long[] total = new long[1];
        CudaDiagnostics.check(JCudaDriver.cuDeviceTotalMem(total, device), "cuDeviceTotalMem");
        int major = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        int minor = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        int sms = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        int l2 = attribute(device, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_L2_CACHE_SIZE);
        int[] driver = new int[1];
        CudaDiagnostics.check(JCudaDriver.cuDriverGetVersion(driver), "cuDriverGetVersion");
        int len = 0;
        while (len < name.length && name[len] != 0) {
            len++;
        }
        return new DeviceInfo(ordinal, new String(name, 0, len, StandardCharsets.US_ASCII), total[0], major, minor,
                sms, l2, driver[0]);
    }

    private static int attribute(CUdevice device, int attribute) {
        int[] v = new int[1];
        CudaDiagnostics.check(JCudaDriver.cuDeviceGetAttribute(v, attribute, device),
                "cuDeviceGetAttribute(" + attribute + ")");
        return v[0];
    }

    /** Compute capability as an integer, e.g. 90 for sm_90. */
    int arch() {
        return ccMajor * 10 + ccMinor;
    }

    /** e.g. "NVIDIA H200, sm_90, 132 SMs, 139.81 GiB, driver 13.0". */
    String summary() {
        return name + ", sm_" + arch() + ", " + multiprocessors + " SMs, " + CudaDiagnostics.bytes(totalBytes) + ", driver "
                + CudaDiagnostics.version(driverVersion);
    }
}
