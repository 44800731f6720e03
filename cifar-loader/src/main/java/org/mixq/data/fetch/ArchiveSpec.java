package org.mixq.data.fetch;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.mixq.data.CifarFormat;

/**
 * A published dataset archive (.tar.gz): where it is, its MD5, the folder it unpacks to, and
 * the members to take out of it. Nothing else in the archive is extracted.
 *
 * @param size the archive's length in bytes for progress when the server does not say, or -1
 */
public record ArchiveSpec(String title, URI url, String fileName, String md5, long size, String folder, List<Member> members) {
    /**
     * A file inside {@code folder} of the archive.
     *
     * @param size its exact length in bytes, or -1 for any
     * @param required whether an archive without it is rejected
     */
    public record Member(String name, long size, boolean required) {
    }

    public ArchiveSpec {
        members = List.copyOf(members);
        if (!md5.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("md5: '" + md5 + "' is not 32 lowercase hex digits");
        }
    }

    /** The binary version of CIFAR-10 or CIFAR-100 from https://www.cs.toronto.edu/~kriz/cifar.html. */
    public static ArchiveSpec cifar(CifarFormat format) {
        List<Member> members = new ArrayList<>();
        long recordsPerTestFile = 10_000;
        long trainRecords = 50_000 / format.trainFiles().size();
        for (String f : format.trainFiles()) {
            members.add(new Member(f, trainRecords * format.recordSize(), true));
        }
        members.add(new Member(format.testFile(), recordsPerTestFile * format.recordSize(), true));
        if (format == CifarFormat.CIFAR10) {
            members.add(new Member("batches.meta.txt", -1, false));
            return new ArchiveSpec(format.title(), URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"),
                    "cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530", 170_052_171L, format.folder(), members);
        }
        members.add(new Member("coarse_label_names.txt", -1, false));
        members.add(new Member("fine_label_names.txt", -1, false));
        return new ArchiveSpec(format.title(), URI.create("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"),
                "cifar-100-binary.tar.gz", "03b5dce01913d631647c71ecec9e9cb8", -1, format.folder(), members);
    }

    /** The same archive fetched from another address (a mirror). */
    public ArchiveSpec withUrl(URI other) {
        return new ArchiveSpec(title, other, fileName, md5, size, folder, members);
    }
}
