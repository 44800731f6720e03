package org.mixq.kernels;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mixq.kernels.CudaOptions.WeightQuantKernel;

/** Which weight fake-quantization kernel serves a shape, on an H200's 132 multiprocessors and 60 MiB of L2. */
class FakeQuantKernelsTest {
    private static final int SMS = 132;
    private static final long L2 = 60L << 20;

    @Test
    void largeChannelsThatTheL2HoldsOnePerMultiprocessorGoResident() {
        // 256 KiB channels: 132 of them take 33 MiB, within 45; the 1056 in flight with one block per channel do not
        assertTrue(FakeQuantKernels.resident(WeightQuantKernel.AUTO, 4096, 65536, SMS, L2));
    }

    @Test
    void convolutionWeightsStayWithOneBlockPerChannel() {
        // VGG-16's widest layer: 512 channels of 512 x 3 x 3 = 18 KiB, 9 MiB in all: the L2 holds them
        assertFalse(FakeQuantKernels.resident(WeightQuantKernel.AUTO, 512, 4608, SMS, L2));
    }

    @Test
    void channelsTooLargeForTheL2OrTooFewForTheMultiprocessorsStayWithOneBlockPerChannel() {
        assertFalse(FakeQuantKernels.resident(WeightQuantKernel.AUTO, 4096, 1 << 20, SMS, L2));
        assertFalse(FakeQuantKernels.resident(WeightQuantKernel.AUTO, SMS, 65536, SMS, L2));
    }

    @Test
    void anExplicitChoiceIsKept() {
        assertTrue(FakeQuantKernels.resident(WeightQuantKernel.RESIDENT, 1, 4, SMS, L2));
        assertFalse(FakeQuantKernels.resident(WeightQuantKernel.BLOCK, 4096, 65536, SMS, L2));
    }
}
