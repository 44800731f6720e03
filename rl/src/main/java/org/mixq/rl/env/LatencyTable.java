package org.mixq.rl.env;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mixq.core.Quantizer;
import org.mixq.nn.quant.QuantLayerInfo;
import org.mixq.rl.config.Setting;
import org.mixq.rl.config.SettingException;

/**
 * A measured per-layer cost: a CSV lookup table {@code layer,w_bits,a_bits,latency} (header
 * required, one row per layer and bit-width pair, as HAQ's latency tables are per layer and
 * per pair of widths). Latencies are additive over layers, like every {@link CostModel}; their
 * unit is the table's (milliseconds by convention) and becomes the unit of the search's cost
 * column and of {@code --target-cost}.
 *
 * <p>Layer names are the model's quantizable-layer names ({@code mixq eval --layers} lists
 * them); 32 in a bit column means full precision. Before a search starts,
 * {@link #requireCovered} checks that every (layer, w, a) the search may visit is present, so
 * a gap is reported at once and never in the middle of a run.
 */
public final class LatencyTable implements CostModel {
    public static final String HEADER = "layer,w_bits,a_bits,latency";

    private final Path file;
    private final Map<String, Double> latency;
    private final Set<String> layerNames;

    private LatencyTable(Path file, Map<String, Double> latency, Set<String> layerNames) {
        this.file = file;
        this.latency = latency;
        this.layerNames = layerNames;
    }

    /** Reads a table; any problem is an IOException whose one-line message names the file and line. */
    public static LatencyTable read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such latency table");
        }
        if (lines.isEmpty() || !lines.get(0).strip().replace(" ", "").equalsIgnoreCase(HEADER)) {
            throw new IOException(file + ": line 1: expected the header '" + HEADER + "'");
        }
        Map<String, Double> latency = new HashMap<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + ": line " + (i + 1) + ": ";
            String[] f = line.split(",", -1);
            if (f.length != 4) {
                throw new IOException(where + "expected 4 columns (" + HEADER + "), got " + f.length);
            }
            String name = f[0].strip();
            if (name.isEmpty()) {
                throw new IOException(where + "empty layer name");
            }
            int w = bits(f[1], "w_bits", where);
            int a = bits(f[2], "a_bits", where);
            double value;
            try {
                value = Double.parseDouble(f[3].strip());
            } catch (NumberFormatException e) {
                throw new IOException(where + "latency '" + f[3].strip() + "' is not a number");
            }
            if (!Double.isFinite(value) || value < 0) {
                throw new IOException(where + "latency must be a finite number >= 0, got " + f[3].strip());
            }
            if (latency.put(key(name, w, a), value) != null) {
                throw new IOException(where + "layer " + name + " at w_bits " + w + ", a_bits " + a + " appears twice");
            }
            names.add(name);
        }
        return new LatencyTable(file, latency, names);
    }

    private static int bits(String s, String column, String where) throws IOException {
        try {
            int b = Integer.parseInt(s.strip());
            if (b == Quantizer.FULL_PRECISION || (b >= Quantizer.MIN_WEIGHT_BITS && b <= Quantizer.MAX_BITS)) {
                return b;
            }
        } catch (NumberFormatException e) {
            // reported below with the column name
        }
        throw new IOException(where + column + " must be 1.." + Quantizer.MAX_BITS + " or " + Quantizer.FULL_PRECISION
                + ", got '" + s.strip() + "'");
    }

    private static String key(String layer, int w, int a) {
        return layer + '\u0000' + w + '\u0000' + a;
    }

    public Path file() {
        return file;
    }

    @Override
    public String name() {
        return "latency";
    }

    @Override
    public String unit() {
        return "ms";
    }

    @Override
    public double layerCost(QuantLayerInfo l, int w, int a) {
        Double v = latency.get(key(l.name(), w, a));
        if (v == null) {
            throw new SettingException(null, missing(l.name(), w, a), Setting.LATENCY_TABLE);
        }
        return v;
    }

    private String missing(String layer, int w, int a) {
        return "{} " + file + ": no entry for layer " + layer + " at w_bits " + w + ", a_bits " + a;
    }

    /**
     * Refuses a table whose layers are not the model's (the first table layer the model lacks,
     * or the first model layer the table lacks, is named), or that misses a pair some layer may
     * take: {@code choices.weightBits(i)} x {@code choices.activationBits(i)} for every layer.
     */
    public void requireCovered(List<QuantLayerInfo> layers, BitChoices choices) {
        Set<String> model = new LinkedHashSet<>();
        layers.forEach(l -> model.add(l.name()));
        for (String name : layerNames) {
            if (!model.contains(name)) {
                throw new SettingException(null, "{} " + file + ": layer '" + name
                        + "' is not a quantizable layer of the model (its layers: " + String.join(", ", model) + ")",
                        Setting.LATENCY_TABLE);
            }
        }
        for (int i = 0; i < layers.size(); i++) {
            QuantLayerInfo l = layers.get(i);
            if (!layerNames.contains(l.name())) {
                throw new SettingException(null, "{} " + file + ": the model's layer " + i + " '" + l.name()
                        + "' has no rows", Setting.LATENCY_TABLE);
            }
            for (int w : choices.weightBits(i)) {
                for (int a : choices.activationBits(i)) {
                    if (!latency.containsKey(key(l.name(), w, a))) {
                        throw new SettingException(null, missing(l.name(), w, a)
                                + " (the search may choose it; every such row is required)", Setting.LATENCY_TABLE);
                    }
                }
            }
        }
    }
}
