package org.mixq.nn.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.mixq.data.DataBundle;
import org.mixq.data.Datasets;
import org.mixq.data.Normalization;
import org.mixq.data.Split;

/**
 * The data a model was trained on: the dataset, the seeded split of its training set into a
 * part to train on and a held-out validation part, and the normalization computed from the
 * training part. {@link #metadata()} stores it in a checkpoint and {@link #fromMetadata}
 * rebuilds exactly the same split and normalization later (evaluation, the search's reward
 * data), so held-out images stay held out and inputs are scaled as in training.
 */
public record DataSetup(String dataset, DataBundle bundle, Split split, Normalization normalization, long splitSeed) {
    public static final String NAME = "data.name";
    public static final String SPLIT_SEED = "data.splitSeed";
    public static final String TRAIN_IMAGES = "data.trainImages";
    public static final String VALIDATION_IMAGES = "data.validationImages";
    public static final String MEAN = "data.mean";
    public static final String STD = "data.std";

    /**
     * Loads {@code dataset} ({@code dir} null for the default places) and splits its training
     * set: {@code validationImages} held out, {@code trainImages} to train on (0 for all the rest).
     */
    public static DataSetup create(String dataset, Path dir, int trainImages, int validationImages, long seed) {
        DataBundle bundle = Datasets.load(dataset, dir);
        int available = bundle.train().size();
        if (validationImages < 0 || validationImages >= available) {
            throw new IllegalArgumentException("validation images: " + validationImages + " must be in 0.." + (available - 1)
                    + " for the " + available + " training images of " + dataset);
        }
        int train = trainImages == 0 ? available - validationImages : trainImages;
        Split split = Split.of(bundle.train(), train, validationImages, seed);
        return new DataSetup(dataset, bundle, split, Normalization.of(split.train()), seed);
    }

    /**
     * The setup recorded in checkpoint metadata; {@code dataset} overrides the recorded name
     * when not null (evaluating on another dataset of the same shape).
     */
    public static DataSetup fromMetadata(Map<String, String> metadata, String dataset, Path dir) {
        String name = dataset != null ? dataset : metadata.get(NAME);
        if (name == null) {
            throw new IllegalArgumentException("the checkpoint does not say which dataset it was trained on; give --dataset");
        }
        DataBundle bundle = Datasets.load(name, dir);
        if (!metadata.containsKey(MEAN) || !name.equalsIgnoreCase(metadata.get(NAME))) {
            Split split = Split.standard(bundle.train(), 1);
            return new DataSetup(name, bundle, split, Normalization.of(split.train()), 1);
        }
        long seed = Long.parseLong(metadata.get(SPLIT_SEED));
        Split split = Split.of(bundle.train(), Integer.parseInt(metadata.get(TRAIN_IMAGES)),
                Integer.parseInt(metadata.get(VALIDATION_IMAGES)), seed);
        return new DataSetup(name, bundle, split, Normalization.of(floats(metadata.get(MEAN)), floats(metadata.get(STD))), seed);
    }

    /** Key=value strings for a checkpoint. */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(NAME, dataset);
        m.put(SPLIT_SEED, Long.toString(splitSeed));
        m.put(TRAIN_IMAGES, Integer.toString(split.train().size()));
        m.put(VALIDATION_IMAGES, Integer.toString(split.validation().size()));
        StringBuilder mean = new StringBuilder();
        StringBuilder std = new StringBuilder();
        for (int c = 0; c < normalization.channels(); c++) {
            String sep = c == 0 ? "" : ",";
            mean.append(sep).append(normalization.mean(c));
            std.append(sep).append(normalization.std(c));
        }
        m.put(MEAN, mean.toString());
        m.put(STD, std.toString());
        return m;
    }

    public int channels() {
        return bundle.train().channels();
    }

    public int height() {
        return bundle.train().height();
    }

    public int width() {
        return bundle.train().width();
    }

    public int classes() {
        return bundle.train().classes();
    }

    private static float[] floats(String csv) {
        String[] parts = csv.split(",");
        float[] v = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = Float.parseFloat(parts[i].trim());
        }
        return v;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %d train, %d validation, %d test images, %dx%dx%d, %d classes", dataset,
                split.train().size(), split.validation().size(), bundle.test().size(), channels(), height(), width(), classes());
    }
}
