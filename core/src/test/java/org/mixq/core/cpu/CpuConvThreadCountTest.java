package org.mixq.core.cpu;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mixq.core.Backend;
import org.mixq.core.ConvSpec;
import org.mixq.core.Tensor;
import org.mixq.core.testing.Arrays2;

/**
 * The filter gradient is split by output, never by image, so with OpenBLAS and the Java GEMM
 * it has the same bits on one thread and on three. Forward and backward-data group images per
 * thread: with the Java GEMM, whose value of an element does not depend on the block it is
 * computed in, they agree too; OpenBLAS's small-matrix kernels round differently for another
 * grouping, so there only the filter gradient is compared. (Planes under 16 wide, 3x3 with
 * padding 1, go through the panel convolution whatever the provider; the 6x6 layer's panels of
 * 64 columns straddle its 36-pixel images and split unevenly between three threads.)
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
        Tensor x = tensor(b, Arrays2.uniform(rnd, n * c * hw * hw, -1f, 1f), n, c, hw, hw);
        Tensor w = tensor(b, Arrays2.uniform(rnd, k * c * 9, -1f, 1f), k, c, 3, 3);
        Tensor bias = tensor(b, Arrays2.uniform(rnd, k, -1f, 1f), k);
        Tensor dy = tensor(b, Arrays2.uniform(rnd, n * k * p * p, -1f, 1f), n, k, p, p);
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
        int[][] layers = {{7, 16, 8, 24}, {5, 8, 17, 12}, {3, 6, 32, 10}, {2, 32, 4, 64}, {9, 5, 6, 7}};
        for (CpuGemm.Provider provider : new CpuGemm.Provider[] {CpuGemm.Provider.OPENBLAS, CpuGemm.Provider.OPENBLAS_JNI,
                CpuGemm.Provider.JAVA}) {
            for (int[] l : layers) {
                for (ConvSpec spec : new ConvSpec[] {ConvSpec.of(1, 1), ConvSpec.of(2, 0)}) {
                    float[][] single;
                    float[][] multi;
                    try (Backend one = new CpuBackend(1, provider); Backend three = new CpuBackend(3, provider)) {
                        single = run(one, l[0], l[1], l[2], l[3], spec);
                        multi = run(three, l[0], l[1], l[2], l[3], spec);
                    }
                    String[] names = {"y", "dx", "dw", "dBias"};
                    for (int i = provider == CpuGemm.Provider.JAVA ? 0 : 2; i < names.length; i++) {
                        Arrays2.assertExact(provider + " " + names[i] + " of layer " + java.util.Arrays.toString(l)
                                + " " + spec, single[i], multi[i]);
                    }
                }
            }
        }
    }
}
