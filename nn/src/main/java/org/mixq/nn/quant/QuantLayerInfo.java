package org.mixq.nn.quant;

/**
 * What the search knows about one quantizable layer, in network order; the agent's state is
 * built from these. Sizes are per image.
 *
 * @param index      position among the model's quantizable layers, from 0
 * @param name       the layer's name (policy files and checkpoints use it)
 * @param kind       convolution or fully connected
 * @param cIn        input channels (input features for a linear layer)
 * @param cOut       output channels (output features)
 * @param kernel     square kernel size (1 for a linear layer)
 * @param stride     stride (1 for a linear layer)
 * @param inHeight   input feature-map height (1 for a linear layer)
 * @param inWidth    input feature-map width (1 for a linear layer)
 * @param params     weight elements, the n_l of the bit accounting (biases are not included)
 * @param macs       multiply-accumulates of one image's forward pass
 * @param activationQuantizable whether the input is post-ReLU and may be quantized (false for
 *                   the first layer, whose input is the normalized, signed image)
 */
public record QuantLayerInfo(int index, String name, Kind kind, int cIn, int cOut, int kernel, int stride,
                             int inHeight, int inWidth, long params, long macs, boolean activationQuantizable) {

    public enum Kind { CONV, LINEAR }

    public boolean isLinear() {
        return kind == Kind.LINEAR;
    }

    /** Input feature-map size h*w. */
    public long featureMapSize() {
        return (long) inHeight * inWidth;
    }
}
