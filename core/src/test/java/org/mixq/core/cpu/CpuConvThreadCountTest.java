package org.mixq.core.cpu;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mixq.core.Backend;
import org.mixq.core.ConvSpec;
import org.mixq.core.Tensor;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.RandomArrays;

/**
 * Every convolution output has the same bits on one, two and three threads with every GEMM
 * provider: images are grouped, and filter taps tiled, by the layer's shape, and threads take
 * whole groups and tiles. The layers reach every path: direct (32 x 32 planes, its filter
 * gradient too except in the reproducible mode), panels (planes under 16 wide, 3x3 with
 * padding 1; the 6x6 layer's panels of 64 columns straddle its 36-pixel images), and
 * im2col + GEMM with several groups of images (64 images of 4 x 4 outputs, stride 2).
 */
class CpuConvThreadCountTest {

    private static Tensor tensor(Backend b, float[] data, int... dims) {
        Tensor t = b.alloc(dims);
        b.copyIn(t, data);
        return t;
    }

    private static float[][] run(Backend b, int n, int c, int hw, int k, ConvSpec spec) {
        SplittableRandom rnd = new SplittableRandom(71);
        int p = spec.outH(hw, 3);
        Tensor x = tensor(b, RandomArrays.uniform(rnd, n * c * hw * hw, -1f, 1f), n, c, hw, hw);
        Tensor w = tensor(b, RandomArrays.uniform(rnd, k * c * 9, -1f, 1f), k, c, 3, 3);
        Tensor bias = tensor(b, RandomArrays.uniform(rnd, k, -1f, 1f), k);
        Tensor dy = tensor(b, RandomArrays.uniform(rnd, n * k * p * p, -1f, 1f), n, k, p, p);
        Tensor y = b.alloc(n, k, p, p);
        Tensor dx = b.alloc(n, c, hw, hw);
        Tensor dw = b.alloc(k, c, 3, 3);
        Tensor dBias = b.alloc(k);
        b.conv2dForward(y, x, w, bias, spec);
        b.conv2dBackwardData(dx, dy, w, spec);
        b.conv2dBackwardFilter(dw, dBias, dy, x, spec);
        return new float[][] {y.toArray(), dx.toArray(), dw.toArray(), dBias.toArray()};
    }

    @Test
    void oneAndThreeThreadsAgreeBitForBit() {
        int[][] layers = {{7, 16, 8, 24}, {5, 8, 17, 12}, {3, 6, 32, 10}, {2, 32, 4, 64}, {9, 5, 6, 7}, {4, 8, 32, 16},
                {64, 4, 10, 8}};
        String[] names = {"y", "dx", "dw", "dBias"};
        for (CpuGemm.Provider provider : CpuGemm.Provider.values()) {
            if (provider == CpuGemm.Provider.AUTO) {
                continue;
            }
            for (int[] l : layers) {
                for (ConvSpec spec : new ConvSpec[] {ConvSpec.of(1, 1), ConvSpec.of(2, 0)}) {
                    try (Backend one = new CpuBackend(1, provider); Backend two = new CpuBackend(2, provider);
                         Backend three = new CpuBackend(3, provider)) {
                        float[][] single = run(one, l[0], l[1], l[2], l[3], spec);
                        float[][] dual = run(two, l[0], l[1], l[2], l[3], spec);
                        float[][] multi = run(three, l[0], l[1], l[2], l[3], spec);
                        for (int i = 0; i < names.length; i++) {
                            String what = provider + " " + names[i] + " of layer " + java.util.Arrays.toString(l) + " " + spec;
                            ArrayAssertions.assertExact(what + " on 2 threads", single[i], dual[i]);
                            ArrayAssertions.assertExact(what + " on 3 threads", single[i], multi[i]);
                        }
                    }
                }
            }
        }
    }
}
