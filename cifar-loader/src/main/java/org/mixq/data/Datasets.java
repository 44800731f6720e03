package org.mixq.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Loads a dataset by name, with its train and test parts. Every image comes out 32x32 (the
 * 28x28 MNIST-style images are padded), so one network definition fits them all.
 *
 * <p>Where {@code dir} is null the files are looked for in the default places, in order:
 * {@code data/<folder>} under the working directory, {@code ~/.mixq/data/<folder>}, and for
 * (Fashion-)MNIST {@code /usr/share/datasets/<folder>} (the Debian dataset packages). A given
 * {@code dir} may hold the files itself or the dataset's folder.
 */
public final class Datasets {
    /** The names {@link #load} accepts. */
    public static final List<String> NAMES = List.of("cifar10", "cifar100", "fashion-mnist", "mnist", "synthetic");

    /** The synthetic set {@code load("synthetic", ...)} gives: this seed, these sizes. */
    public static final long SYNTHETIC_SEED = 20240601L;
    public static final int SYNTHETIC_TRAIN = 20_000;
    public static final int SYNTHETIC_TEST = 4_000;

    /** What every image of a dataset is: channels, height, width, and the number of classes. */
    public record Shape(int channels, int height, int width, int classes) {
    }

    private Datasets() {
    }

    /**
     * The images' shape of the named dataset (one of {@link #NAMES}) as {@link #load} gives it,
     * known from the format without reading a file, so a model can be built and checked first.
     */
    public static Shape shape(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cifar10" -> new Shape(3, 32, 32, CifarFormat.CIFAR10.classes(0));
            case "cifar100" -> new Shape(3, 32, 32, CifarFormat.CIFAR100.classes(1));
            case "fashion-mnist", "mnist" -> new Shape(1, IdxReader.PADDED, IdxReader.PADDED, IdxReader.CLASSES);
            case "synthetic" -> new Shape(3, SyntheticImages.SIDE, SyntheticImages.SIDE, SyntheticImages.CLASS_NAMES.length);
            default -> throw new IllegalArgumentException("dataset: '" + name + "' is not one of " + String.join(", ", NAMES));
        };
    }

    /** The named dataset (one of {@link #NAMES}); {@code dir} may be null for the default places. */
    public static DataBundle load(String name, Path dir) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "cifar10":
                return cifar10(dir);
            case "cifar100":
                return cifar100(dir, false);
            case "fashion-mnist":
                return fashionMnist(dir);
            case "mnist":
                return mnist(dir);
            case "synthetic":
                return synthetic(SYNTHETIC_SEED, SYNTHETIC_TRAIN, SYNTHETIC_TEST);
            default:
                throw new IllegalArgumentException("dataset: '" + name + "' is not one of " + String.join(", ", NAMES));
        }
    }

    /** Whether the named dataset's files are where {@link #load} would look (without reading them). */
    public static boolean present(String name, Path dir) {
        try {
            switch (name.toLowerCase(Locale.ROOT)) {
                case "cifar10":
                    CifarFormat.CIFAR10.locate(dir);
                    return true;
                case "cifar100":
                    CifarFormat.CIFAR100.locate(dir);
                    return true;
                case "fashion-mnist":
                case "mnist":
                    DataLocations.find(name.toLowerCase(Locale.ROOT), dir, IdxReader.TRAIN_IMAGES, "");
                    return true;
                case "synthetic":
                    return true;
                default:
                    return false;
            }
        } catch (DataFormatException e) {
            return false;
        }
    }

    /**
     * How many training images the named dataset has, from its files' sizes (CIFAR) or headers
     * (IDX) without reading the images, so a split can be checked before the data is loaded.
     */
    public static long trainImages(String name, Path dir) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cifar10" -> CifarReader.trainRecords(CifarFormat.CIFAR10, CifarFormat.CIFAR10.locate(dir));
            case "cifar100" -> CifarReader.trainRecords(CifarFormat.CIFAR100, CifarFormat.CIFAR100.locate(dir));
            case "fashion-mnist", "mnist" -> IdxReader.count(IdxReader.file(idxFolder(name.toLowerCase(Locale.ROOT), dir),
                    IdxReader.TRAIN_IMAGES), IdxReader.IMAGE_MAGIC);
            case "synthetic" -> SYNTHETIC_TRAIN;
            default -> throw new IllegalArgumentException("dataset: '" + name + "' is not one of " + String.join(", ", NAMES));
        };
    }

    /** The folder of (Fashion-)MNIST's IDX files, or an error saying where to get them. */
    private static Path idxFolder(String name, Path dir) {
        String hint = name.equals("mnist")
                ? "put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz there"
                : "the Debian package dataset-fashion-mnist installs it in /usr/share/datasets/fashion-mnist";
        return DataLocations.find(name, dir, IdxReader.TRAIN_IMAGES, hint);
    }

    /** CIFAR-10 binary version: data_batch_1..5.bin (train), test_batch.bin (test). */
    public static DataBundle cifar10(Path dir) {
        return CifarReader.read(CifarFormat.CIFAR10, CifarFormat.CIFAR10.locate(dir), false);
    }

    /** CIFAR-100 binary version: train.bin, test.bin; the 100 fine labels, or the 20 coarse ones. */
    public static DataBundle cifar100(Path dir, boolean coarse) {
        return CifarReader.read(CifarFormat.CIFAR100, CifarFormat.CIFAR100.locate(dir), coarse);
    }

    /** Fashion-MNIST in IDX files (gzip or raw), padded to 32x32. */
    public static DataBundle fashionMnist(Path dir) {
        return IdxReader.read("fashion-mnist", idxFolder("fashion-mnist", dir));
    }

    /** MNIST in IDX files (gzip or raw), padded to 32x32. */
    public static DataBundle mnist(Path dir) {
        return IdxReader.read("mnist", idxFolder("mnist", dir));
    }

    /** The procedurally drawn 10-class RGB set: needs no file, the same for the same seed everywhere. */
    public static DataBundle synthetic(long seed, int trainSize, int testSize) {
        return SyntheticImages.bundle(seed, trainSize, testSize);
    }
}
