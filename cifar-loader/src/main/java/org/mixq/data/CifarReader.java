package org.mixq.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the CIFAR binary files; every check runs before a dataset is returned. */
final class CifarReader {
    private CifarReader() {
    }

    /** Train and test parts from {@code folder}; CIFAR-100 labels are the coarse ones when {@code coarse}. */
    static DataBundle read(CifarFormat format, Path folder, boolean coarse) {
        int labelByte = format.labelBytes() == 2 && !coarse ? 1 : 0;
        String suffix = format.labelBytes() == 2 ? (coarse ? " coarse" : " fine") : "";
        List<Path> train = new ArrayList<>();
        for (String f : format.trainFiles()) {
            train.add(folder.resolve(f));
        }
        Dataset trainSet = readFiles(format, train, labelByte, format.title() + suffix + " train");
        Dataset testSet = readFiles(format, List.of(folder.resolve(format.testFile())), labelByte, format.title() + suffix + " test");
        return new DataBundle(trainSet, testSet);
    }

    /** The records of all files, in file order, keeping label byte {@code labelByte} of each. */
    static Dataset readFiles(CifarFormat format, List<Path> files, int labelByte, String name) {
        int record = format.recordSize();
        long[] sizes = sizes(format, files);
        long total = 0;
        for (long size : sizes) {
            total += size / record;
        }
        if (total * CifarFormat.PIXELS > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(files.get(0) + " and the rest: " + total + " records are more than one array can hold");
        }
        int n = (int) total;
        byte[] pixels = new byte[n * CifarFormat.PIXELS];
        int[] labels = new int[n];
        byte[] buf = new byte[record];
        int i = 0;
        for (int f = 0; f < files.size(); f++) {
            Path p = files.get(f);
            long records = sizes[f] / record;
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(p), 1 << 16)) {
                for (long r = 0; r < records; r++, i++) {
                    int got = in.readNBytes(buf, 0, record);
                    if (got != record) {
                        throw new DataFormatException(p + ": ended inside record " + r + ", expected " + sizes[f] + " bytes (did it change while being read?)");
                    }
                    for (int k = 0; k < format.labelBytes(); k++) {
                        int label = buf[k] & 0xff;
                        if (label >= format.classes(k)) {
                            throw new DataFormatException(p + ": record " + r + " has label " + label + ", expected 0.." + (format.classes(k) - 1));
                        }
                    }
                    labels[i] = buf[labelByte] & 0xff;
                    System.arraycopy(buf, format.labelBytes(), pixels, i * CifarFormat.PIXELS, CifarFormat.PIXELS);
                }
            } catch (IOException e) {
                throw new DataFormatException(p + ": cannot be read (" + e + ")", e);
            }
        }
        return Dataset.wrap(name, pixels, labels, 3, 32, 32, format.classes(labelByte));
    }

    /** The training records in {@code folder}, from the files' sizes alone. */
    static long trainRecords(CifarFormat format, Path folder) {
        long total = 0;
        for (long size : sizes(format, format.trainFiles().stream().map(folder::resolve).toList())) {
            total += size / format.recordSize();
        }
        return total;
    }

    /** Each file's size in bytes, checked to be a whole positive number of records. */
    private static long[] sizes(CifarFormat format, List<Path> files) {
        int record = format.recordSize();
        long[] sizes = new long[files.size()];
        for (int f = 0; f < files.size(); f++) {
            Path p = files.get(f);
            if (!Files.isRegularFile(p)) {
                throw new DataFormatException("missing file: " + p + " (" + format.title() + " binary version)");
            }
            sizes[f] = size(p);
            if (sizes[f] == 0 || sizes[f] % record != 0) {
                throw new DataFormatException(p + ": " + sizes[f] + " bytes is not a positive multiple of the " + record + "-byte "
                        + format.title() + " record (" + format.labelBytes() + " label byte(s) + " + CifarFormat.PIXELS + " pixels)");
            }
        }
        return sizes;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new DataFormatException(p + ": cannot be read (" + e + ")", e);
        }
    }
}
