package org.mixq.nn.export;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mixq.core.Quantizer;
import org.mixq.core.Shape;
import org.mixq.core.Tensor;
import org.mixq.nn.models.Model;
import org.mixq.nn.quant.QuantizableLayer;

/**
 * The tensors of a packed model file, in file order, as they follow from a model and its bit
 * policy: the writer writes this list and the reader checks the file's list against the one
 * its rebuilt model gives. The order is the model's state order ({@link Model#state()}):
 * <ul>
 *   <li>a quantized layer's weight ({@code conv1.weight}, b &lt; 32) is a {@link Kind#PACKED}
 *       entry followed by its per-output-channel {@link Kind#SCALE} entry ({@code conv1.weight.scale});</li>
 *   <li>a full-precision weight is a {@link Kind#FLOAT32} entry;</li>
 *   <li>a clip threshold ({@code conv2.clip}) is a {@link Kind#CLIP} entry when the layer's input
 *       activations are quantized, and is left out otherwise (it is then unused);</li>
 *   <li>every other tensor (biases, batch-norm parameters and running statistics) is {@link Kind#FLOAT32}.</li>
 * </ul>
 */
public final class PackedLayout {
    /** How an entry's bytes are stored. */
    public enum Kind {
        /** Unsigned b-bit weight codes, packed ({@link PackedBits}, {@link PackedCodes}). */
        PACKED,
        /** float32 per-output-channel scales of the packed entry before it. */
        SCALE,
        /** One float32 activation clip threshold. */
        CLIP,
        /** float32 values in row-major order. */
        FLOAT32;

        /** The name in the file's header. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind with {@link #label()} {@code s}, or an IllegalArgumentException. */
        public static Kind ofLabel(String s) {
            for (Kind k : values()) {
                if (k.label().equals(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown tensor kind '" + s + "', expected packed, scale, clip or float32");
        }
    }

    /** Suffix of a scale entry's name after its weight's name. */
    public static final String SCALE_SUFFIX = ".scale";

    /**
     * One tensor of the file.
     *
     * @param bits the weight bit width of a {@link Kind#PACKED} entry (1..8), 32 for the others
     */
    public record Entry(String name, Kind kind, int bits, Shape shape) {
        public Entry {
            if (kind == Kind.PACKED ? bits < 1 || bits > PackedBits.MAX_BITS : bits != Quantizer.FULL_PRECISION) {
                throw new IllegalArgumentException("tensor " + name + ": " + kind.label() + " with " + bits + " bits");
            }
        }

        /** Bytes in the payload: {@code ceil(bits * n / 8)} packed, else 4 per element. */
        public long bytes() {
            return kind == Kind.PACKED ? PackedBits.packedBytes(shape.size(), bits) : 4L * shape.size();
        }
    }

    private PackedLayout() {
    }

    /** The entries of {@code model} under its current bit policy. */
    public static List<Entry> of(Model model) {
        Map<String, QuantizableLayer> byWeight = new HashMap<>();
        Map<String, QuantizableLayer> byClip = new HashMap<>();
        for (QuantizableLayer l : model.quantizableLayers()) {
            byWeight.put(l.weight().name(), l);
            if (l.activationQuantizer() != null) {
                byClip.put(l.activationQuantizer().clip().name(), l);
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : model.state().entrySet()) {
            String name = e.getKey();
            Shape shape = e.getValue().shape();
            QuantizableLayer weightOf = byWeight.get(name);
            QuantizableLayer clipOf = byClip.get(name);
            if (weightOf != null && weightOf.weightBits() != Quantizer.FULL_PRECISION) {
                entries.add(new Entry(name, Kind.PACKED, weightOf.weightBits(), shape));
                entries.add(new Entry(name + SCALE_SUFFIX, Kind.SCALE, Quantizer.FULL_PRECISION, Shape.of(shape.dim(0))));
            } else if (clipOf != null) {
                if (clipOf.activationBits() != Quantizer.FULL_PRECISION) {
                    entries.add(new Entry(name, Kind.CLIP, Quantizer.FULL_PRECISION, shape));
                }
            } else {
                entries.add(new Entry(name, Kind.FLOAT32, Quantizer.FULL_PRECISION, shape));
            }
        }
        return entries;
    }

    /** The payload bytes of the entries. */
    public static long payloadBytes(List<Entry> entries) {
        long n = 0;
        for (Entry e : entries) {
            n += e.bytes();
        }
        return n;
    }
}
