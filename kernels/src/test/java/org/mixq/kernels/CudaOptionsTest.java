package org.mixq.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mixq.core.BackendProvider;
import org.mixq.core.testing.SystemProperties;

/** The CUDA backend's choices as read from system properties. */
class CudaOptionsTest {
    private static final String[] PROPERTIES = {"mixq.cuda.device", "mixq.cuda.gemm", "mixq.cuda.conv",
        "mixq.cuda.fqweights", "mixq.cuda.tf32", "mixq.cuda.sync"};

    /** What the JVM was started with (check.sh may pass some), put back after each test. */
    private SystemProperties saved;

    @BeforeEach
    void clear() {
        saved = SystemProperties.cleared(PROPERTIES);
    }

    @AfterEach
    void restore() {
        saved.close();
    }

    @Test
    void defaultsUseTheVendorLibrariesWhereTheyLoadWithoutTf32() {
        CudaOptions o = CudaOptions.fromSystemProperties();
        assertEquals(CudaOptions.defaults(), o);
        assertEquals(CudaOptions.Library.AUTO, o.gemm());
        assertFalse(o.tf32());
    }

    @Test
    void eachChoiceIsRead() {
        System.setProperty("mixq.cuda.device", "1");
        System.setProperty("mixq.cuda.gemm", "kernel");
        System.setProperty("mixq.cuda.conv", "cudnn");
        System.setProperty("mixq.cuda.fqweights", "resident");
        System.setProperty("mixq.cuda.tf32", "true");
        System.setProperty("mixq.cuda.sync", "true");
        assertEquals(new CudaOptions(1, CudaOptions.Library.KERNEL, CudaOptions.Library.VENDOR,
                CudaOptions.WeightQuantKernel.RESIDENT, true, true),
                CudaOptions.fromSystemProperties());
    }

    @Test
    void unknownValuesAreRefusedWithTheirName() {
        System.setProperty("mixq.cuda.conv", "winograd");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, CudaOptions::fromSystemProperties);
        assertTrue(e.getMessage().startsWith("mixq.cuda.conv: expected auto, cudnn or im2col"), e.getMessage());
        System.setProperty("mixq.cuda.conv", "auto");
        System.setProperty("mixq.cuda.fqweights", "warp");
        e = assertThrows(IllegalArgumentException.class, CudaOptions::fromSystemProperties);
        assertEquals("mixq.cuda.fqweights: expected auto, block or resident, got 'warp'", e.getMessage());
        System.setProperty("mixq.cuda.fqweights", "auto");
        System.setProperty("mixq.cuda.device", "-1");
        assertThrows(IllegalArgumentException.class, CudaOptions::fromSystemProperties);
    }

    @Test
    void theProbeReportsAMalformedPropertyInsteadOfThrowing() {
        System.setProperty("mixq.cuda.gemm", "fast");
        BackendProvider.Probe probe = new CudaBackendProvider().probe();
        assertFalse(probe.usable());
        assertTrue(probe.detail().startsWith("mixq.cuda.gemm: expected auto, cublas or kernel, got 'fast'"), probe.detail());
    }
}
