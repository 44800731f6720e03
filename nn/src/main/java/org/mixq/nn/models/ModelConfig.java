package org.mixq.nn.models;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything needed to rebuild a model: the architecture name (see {@link Models}), the width
 * multiplier, the input geometry and class count (taken from the dataset) and the seed of the
 * weight initialization.
 */
public record ModelConfig(String arch, float widthMultiplier, int inChannels, int imageHeight, int imageWidth,
                          int classes, long seed) {

    public ModelConfig {
        if (arch == null || arch.isBlank()) {
            throw new IllegalArgumentException("model config: arch is empty");
        }
        if (!(widthMultiplier > 0) || !Float.isFinite(widthMultiplier)) {
            throw new IllegalArgumentException("model config: width multiplier must be > 0, got " + widthMultiplier);
        }
        if (inChannels < 1 || imageHeight < 1 || imageWidth < 1) {
            throw new IllegalArgumentException("model config: input must be at least 1x1x1, got " + inChannels + "x"
                    + imageHeight + "x" + imageWidth);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("model config: classes must be >= 2, got " + classes);
        }
    }

    /** {@code base} channels scaled by the width multiplier, rounded, at least 1. */
    public int channels(int base) {
        return Math.max(1, (int) Math.round(base * (double) widthMultiplier));
    }

    /** The configuration as key=value strings, as stored in checkpoints. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("arch", arch);
        m.put("widthMultiplier", Float.toString(widthMultiplier));
        m.put("inChannels", Integer.toString(inChannels));
        m.put("imageHeight", Integer.toString(imageHeight));
        m.put("imageWidth", Integer.toString(imageWidth));
        m.put("classes", Integer.toString(classes));
        m.put("seed", Long.toString(seed));
        return m;
    }

    /** Parses {@link #toMap()}'s form; a missing or malformed key throws IllegalArgumentException naming it. */
    public static ModelConfig fromMap(Map<String, String> m) {
        try {
            return new ModelConfig(get(m, "arch"), Float.parseFloat(get(m, "widthMultiplier")),
                    Integer.parseInt(get(m, "inChannels")), Integer.parseInt(get(m, "imageHeight")),
                    Integer.parseInt(get(m, "imageWidth")), Integer.parseInt(get(m, "classes")),
                    Long.parseLong(get(m, "seed")));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("model config: a number is malformed: " + e.getMessage());
        }
    }

    private static String get(Map<String, String> m, String key) {
        String v = m.get(key);
        if (v == null) {
            throw new IllegalArgumentException("model config: missing key '" + key + "'");
        }
        return v;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s width=%s input=%dx%dx%d classes=%d seed=%d", arch, widthMultiplier,
                inChannels, imageHeight, imageWidth, classes, seed);
    }
}
