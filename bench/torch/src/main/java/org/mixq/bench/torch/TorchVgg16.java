package org.mixq.bench.torch;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.pytorch.SGD;
import org.bytedeco.pytorch.SGDOptions;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * The CIFAR VGG-16 of mixq's nn module (3x3 convolutions without bias, batch norm, ReLU, five 2x2
 * max pools, Linear(512 x width, classes)) written with the functions that PyTorch's
 * {@code nn.Conv2d}, {@code nn.BatchNorm2d}, {@code nn.MaxPool2d} and {@code nn.Linear} call, so
 * that a step runs the same eager kernels as the Python model of {@code bench/gpu/torch_reference.py}.
 * Channel counts round like {@code ModelConfig.channels}: {@code max(1, round(base x width))}.
 */
final class TorchVgg16 implements AutoCloseable {
    private static final int[] CONFIG = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};
    private static final long[] ONE = {1, 1};
    private static final long[] TWO = {2, 2};
    private static final long[] ZERO = {0, 0};

    private final List<Tensor[]> convs = new ArrayList<>();
    private final Tensor linearWeight;
    private final Tensor linearBias;
    private final SGD sgd;

    /** Weights drawn from torch's default generator, seeded here; SGD with momentum 0.9 and weight decay 5e-4. */
    TorchVgg16(double width, int inChannels, int classes, long seed) {
        torch.manual_seed(seed);
        List<Tensor> parameters = new ArrayList<>();
        int c = inChannels;
        for (int v : CONFIG) {
            if (v == 0) {
                continue;
            }
            int out = Math.max(1, (int) Math.round(v * width));
            Tensor w = torch.randn(out, c, 3, 3).mul_(new Scalar(Math.sqrt(2.0 / (c * 9)))).requires_grad_(true);
            Tensor gamma = torch.ones(out).requires_grad_(true);
            Tensor beta = torch.zeros(out).requires_grad_(true);
            convs.add(new Tensor[] {w, gamma, beta, torch.zeros(out), torch.ones(out)});
            parameters.add(w);
            parameters.add(gamma);
            parameters.add(beta);
            c = out;
        }
        linearWeight = torch.randn(classes, c).mul_(new Scalar(Math.sqrt(1.0 / c))).requires_grad_(true);
        linearBias = torch.zeros(classes).requires_grad_(true);
        parameters.add(linearWeight);
        parameters.add(linearBias);
        SGDOptions options = new SGDOptions(0.01);
        options.momentum().put(0.9);
        options.weight_decay().put(5e-4);
        sgd = new SGD(new TensorVector(parameters.toArray(new Tensor[0])), options);
    }

    /** Logits of a batch, batch norm in training mode (batch statistics, running averages updated). */
    Tensor forward(Tensor images) {
        Tensor x = images;
        int layer = 0;
        for (int v : CONFIG) {
            if (v == 0) {
                x = torch.max_pool2d(x, TWO, TWO, ZERO, ONE, false);
                continue;
            }
            Tensor[] p = convs.get(layer++);
            x = torch.conv2d(x, p[0], new TensorOptional(), ONE, ONE, ONE, 1);
            x = torch.batch_norm(x, new TensorOptional(p[1]), new TensorOptional(p[2]), new TensorOptional(p[3]),
                    new TensorOptional(p[4]), true, 0.1, 1e-5, true);
            x = torch.relu(x);
        }
        return torch.linear(x.flatten(1, -1), linearWeight, new TensorOptional(linearBias));
    }

    /** One step as {@code optimizer.zero_grad(); loss.backward(); optimizer.step()}; returns the loss read back. */
    float step(Tensor images, Tensor labels) {
        sgd.zero_grad(false);
        Tensor loss = torch.cross_entropy_loss(forward(images), labels);
        loss.backward();
        sgd.step();
        return loss.item_float();
    }

    @Override
    public void close() {
        sgd.close();
    }
}
