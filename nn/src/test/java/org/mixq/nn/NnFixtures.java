package org.mixq.nn;

import java.util.SplittableRandom;
import org.mixq.core.Backend;
import org.mixq.core.Tensor;
import org.mixq.core.cpu.CpuBackend;
import org.mixq.core.testing.RandomArrays;
import org.mixq.data.Batch;
import org.mixq.nn.models.Model;
import org.mixq.nn.models.ModelConfig;
import org.mixq.nn.models.ResNet;
import org.mixq.nn.models.Vgg;

/** Small models and inputs shared by the nn tests. */
public final class NnFixtures {
    private NnFixtures() {
    }

    /** One thread, so every sum has one fixed order and runs repeat bit for bit. */
    public static Backend backend() {
        return new CpuBackend(1);
    }

    public static Tensor tensor(Backend b, float[] data, int... dims) {
        Tensor t = b.alloc(dims);
        b.copyIn(t, data);
        return t;
    }

    /** conv(4)-BN-ReLU-pool-conv(6)-BN-ReLU-pool-flatten-fc on 3x8x8 images, 4 classes. */
    public static Model tinyVgg(Backend b, long seed) {
        return Vgg.create(b, new ModelConfig("tiny-vgg", 1f, 3, 8, 8, 4, seed), new int[] {4, Vgg.POOL, 6, Vgg.POOL});
    }

    /** Stem conv(4)-BN-ReLU, one basic block to 6 channels at stride 2 (projection shortcut), pool, fc; 3x8x8, 4 classes. */
    public static Model tinyResNet(Backend b, long seed) {
        return ResNet.create(b, new ModelConfig("tiny-resnet", 1f, 3, 8, 8, 4, seed), 4, new int[] {6}, new int[] {1},
                new int[] {2});
    }

    /** A batch of Gaussian images with labels 0, 1, ..., classes-1, 0, 1, ... */
    public static Batch batch(long seed, int n, int c, int h, int w, int classes) {
        float[] images = RandomArrays.gaussian(new SplittableRandom(seed), n * c * h * w, 1f);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        return new Batch(images, labels, n, c, h, w);
    }
}
