package org.mixq.data;

import java.nio.file.Path;
import java.util.List;

/**
 * The two CIFAR binary versions (https://www.cs.toronto.edu/~kriz/cifar.html). A record is the
 * label byte(s), then 3072 pixel bytes: 1024 red, 1024 green, 1024 blue, each plane row-major
 * 32x32, which is exactly the channel-major layout of a {@link Dataset} image.
 */
public enum CifarFormat {
    /** One label byte (0..9) per record; five training files of 10,000 records, one test file. */
    CIFAR10("CIFAR-10", "cifar10", "cifar-10-batches-bin", 1,
            List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"),
            "test_batch.bin", new int[] {10}),
    /** A coarse (0..19) then a fine (0..99) label byte per record; 50,000 training and 10,000 test records. */
    CIFAR100("CIFAR-100", "cifar100", "cifar-100-binary", 2, List.of("train.bin"), "test.bin", new int[] {20, 100});

    /** Pixel bytes per record: 3 channels of 32x32. */
    public static final int PIXELS = 3 * 32 * 32;

    private final String title;
    private final String command;
    private final String folder;
    private final int labelBytes;
    private final List<String> trainFiles;
    private final String testFile;
    private final int[] classes;

    CifarFormat(String title, String command, String folder, int labelBytes, List<String> trainFiles, String testFile, int[] classes) {
        this.title = title;
        this.command = command;
        this.folder = folder;
        this.labelBytes = labelBytes;
        this.trainFiles = trainFiles;
        this.testFile = testFile;
        this.classes = classes;
    }

    /** The dataset's usual name, e.g. "CIFAR-10". */
    public String title() {
        return title;
    }

    /** The folder the published archive extracts to, e.g. "cifar-10-batches-bin". */
    public String folder() {
        return folder;
    }

    /** Bytes per record: the label bytes plus {@value #PIXELS} pixels. */
    public int recordSize() {
        return labelBytes + PIXELS;
    }

    public int labelBytes() {
        return labelBytes;
    }

    public List<String> trainFiles() {
        return trainFiles;
    }

    public String testFile() {
        return testFile;
    }

    /** Classes of label byte k (CIFAR-100: 20 coarse, then 100 fine). */
    int classes(int labelByte) {
        return classes[labelByte];
    }

    /** The folder that holds the files: {@code dir} itself or {@code dir/folder()}, or a default place when dir is null. */
    public Path locate(Path dir) {
        return DataLocations.find(folder, dir, trainFiles.get(0), "`mixq data " + command + "` downloads it");
    }
}
