package org.mixq.nn.models;

import java.util.ArrayList;
import java.util.List;
import org.mixq.core.Backend;
import org.mixq.nn.Layer;
import org.mixq.nn.Sequential;

/**
 * VGG in its CIFAR form (as in the common CIFAR reimplementations of Simonyan and Zisserman
 * 2015): 3x3 convolutions with padding 1, each followed by BN and ReLU, 2x2 max pools between
 * stages, then one {@code Linear(512*width, classes)} head (no 4096-wide classifier).
 *
 * <p>A max pool whose input is already 1 pixel high or wide is left out, so inputs smaller than
 * 32x32 work (28x28 Fashion-MNIST pools 28-14-7-3-1 and skips the fifth; an 8x8 test input
 * keeps three pools). The head's input is the flattened final feature map, {@code 512*width}
 * for 32x32 and 28x28 inputs.
 */
public final class Vgg {
    /** Marks a max pool in a layout; other entries are convolution widths before scaling. */
    public static final int POOL = -1;

    static final int[] VGG11 = {64, POOL, 128, POOL, 256, 256, POOL, 512, 512, POOL, 512, 512, POOL};
    static final int[] VGG13 = {64, 64, POOL, 128, 128, POOL, 256, 256, POOL, 512, 512, POOL, 512, 512, POOL};
    static final int[] VGG16 = {64, 64, POOL, 128, 128, POOL, 256, 256, 256, POOL, 512, 512, 512, POOL, 512, 512, 512, POOL};
    static final int[] VGG19 = {64, 64, POOL, 128, 128, POOL, 256, 256, 256, 256, POOL, 512, 512, 512, 512, POOL,
            512, 512, 512, 512, POOL};

    private Vgg() {
    }

    /**
     * A VGG with the given layout: convolution widths (scaled by the config's width multiplier)
     * and {@link #POOL} marks. Layers are named conv1.., bn1.., relu1.., pool1.., and fc.
     */
    public static Model create(Backend backend, ModelConfig config, int[] layout) {
        NetBuilder b = new NetBuilder(backend, config.seed(), config.inChannels(), config.imageHeight(), config.imageWidth());
        List<Layer> layers = new ArrayList<>();
        int conv = 0;
        int pool = 0;
        for (int entry : layout) {
            if (entry == POOL) {
                pool++;
                if (b.at().height() >= 2 && b.at().width() >= 2) {
                    layers.add(b.maxPool("pool" + pool, 2, 2));
                }
            } else {
                conv++;
                layers.add(b.conv("conv" + conv, config.channels(entry), 3, 1, 1));
                layers.add(b.bn("bn" + conv));
                layers.add(b.relu("relu" + conv));
            }
        }
        layers.add(b.flatten("flatten"));
        layers.add(b.linear("fc", config.classes()));
        return new Model(backend, config, new Sequential("vgg", layers), b.quantizable(), b.infos());
    }
}
