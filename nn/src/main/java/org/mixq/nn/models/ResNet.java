package org.mixq.nn.models;

import java.util.ArrayList;
import java.util.List;
import org.mixq.core.Backend;
import org.mixq.nn.Layer;
import org.mixq.nn.Sequential;
import org.mixq.nn.layers.BasicBlock;

/**
 * ResNets of basic blocks with a CIFAR stem (He et al. 2016): a 3x3 stride-1 convolution, BN
 * and ReLU, no max pool; stages of blocks, the first block of a stage carrying its stride;
 * global average pooling and one linear head. A block whose shape changes uses a 1x1
 * projection shortcut (option B of the paper), otherwise the identity.
 *
 * <ul>
 *   <li>ResNet-20/32/56: 16-32-64 channels, (depth - 2) / 6 blocks per stage, strides 1-2-2.</li>
 *   <li>ResNet-18: 64-128-256-512 channels, 2 blocks per stage, strides 1-2-2-2.</li>
 * </ul>
 * Channel counts are scaled by the config's width multiplier. Layer names: stem.conv,
 * stage1.block1.conv1, stage1.block1.bn1, ..., stage2.block1.shortcut.conv, fc.
 */
public final class ResNet {
    private ResNet() {
    }

    /** The CIFAR ResNet of the given depth, 6n + 2 (20, 32, 56, ...). */
    public static Model cifar(Backend backend, ModelConfig config, int depth) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("resnet: CIFAR depth must be 6n+2 >= 8, got " + depth);
        }
        int n = (depth - 2) / 6;
        return create(backend, config, 16, new int[] {16, 32, 64}, new int[] {n, n, n}, new int[] {1, 2, 2});
    }

    /** ResNet-18 with the CIFAR stem. */
    public static Model resnet18(Backend backend, ModelConfig config) {
        return create(backend, config, 64, new int[] {64, 128, 256, 512}, new int[] {2, 2, 2, 2}, new int[] {1, 2, 2, 2});
    }

    /**
     * A ResNet with the given stem width and per-stage widths (before scaling), block counts
     * and first-block strides.
     */
    public static Model create(Backend backend, ModelConfig config, int stemChannels, int[] stageChannels,
                               int[] blocksPerStage, int[] strides) {
        if (stageChannels.length != blocksPerStage.length || stageChannels.length != strides.length) {
            throw new IllegalArgumentException("resnet: stage channels, block counts and strides differ in length");
        }
        NetBuilder b = new NetBuilder(backend, config.seed(), config.inChannels(), config.imageHeight(), config.imageWidth());
        List<Layer> layers = new ArrayList<>();
        layers.add(b.conv("stem.conv", config.channels(stemChannels), 3, 1, 1));
        layers.add(b.bn("stem.bn"));
        layers.add(b.relu("stem.relu"));
        for (int s = 0; s < stageChannels.length; s++) {
            for (int k = 0; k < blocksPerStage[s]; k++) {
                String name = "stage" + (s + 1) + ".block" + (k + 1);
                layers.add(block(b, name, config.channels(stageChannels[s]), k == 0 ? strides[s] : 1));
            }
        }
        layers.add(b.globalAvgPool("pool"));
        layers.add(b.linear("fc", config.classes()));
        return new Model(backend, config, new Sequential("resnet", layers), b.quantizable(), b.infos());
    }

    private static BasicBlock block(NetBuilder b, String name, int channels, int stride) {
        NetBuilder.Point in = b.at();
        Sequential main = new Sequential(name + ".main", List.of(
                b.conv(name + ".conv1", channels, 3, stride, 1),
                b.bn(name + ".bn1"),
                b.relu(name + ".relu1"),
                b.conv(name + ".conv2", channels, 3, 1, 1),
                b.bn(name + ".bn2")));
        NetBuilder.Point out = b.at();
        Sequential shortcut = null;
        if (stride != 1 || in.channels() != channels) {
            b.moveTo(in);
            shortcut = new Sequential(name + ".shortcut", List.of(
                    b.conv(name + ".shortcut.conv", channels, 1, stride, 0),
                    b.bn(name + ".shortcut.bn")));
        }
        b.moveTo(new NetBuilder.Point(out.channels(), out.height(), out.width(), true));
        return new BasicBlock(b.backend(), name, main, shortcut);
    }
}
