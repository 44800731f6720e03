package org.mixq.core.cpu;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mixq.core.Backend;
import org.mixq.core.ConvSpec;
import org.mixq.core.Tensor;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.RandomArrays;

/**
 * The same call gives the same bits on its first run, still interpreted, and after the JIT has
 * compiled it: a Vector API reduction ({@code reduceLanes}) leaves its order open, and its
 * compiled form summed the lanes in another order than the interpreted one. The layer is one
 * that the direct filter gradient serves (a 32 x 32 plane).
 */
class CpuRepeatabilityTest {
    private static final int CALLS = 400;

    @Test
    void theFilterGradientKeepsItsBitsAsTheJitWarmsUp() {
        for (CpuGemm.Provider provider : new CpuGemm.Provider[] {CpuGemm.Provider.AUTO, CpuGemm.Provider.ORDERED}) {
            try (Backend b = new CpuBackend(2, provider)) {
                SplittableRandom rnd = new SplittableRandom(81);
                ConvSpec spec = ConvSpec.of(1, 1);
                Tensor x = b.alloc(2, 8, 32, 32);
                b.copyIn(x, RandomArrays.uniform(rnd, x.size(), -1f, 1f));
                Tensor dy = b.alloc(2, 16, 32, 32);
                b.copyIn(dy, RandomArrays.uniform(rnd, dy.size(), -1f, 1f));
                Tensor dw = b.alloc(16, 8, 3, 3);
                b.conv2dBackwardFilter(dw, null, dy, x, spec);
                float[] first = dw.toArray();
                for (int call = 1; call < CALLS; call++) {
                    b.fill(dw, 0f);
                    b.conv2dBackwardFilter(dw, null, dy, x, spec);
                    ArrayAssertions.assertExact(provider + " filter gradient, call " + call, first, dw.toArray());
                }
            }
        }
    }
}
