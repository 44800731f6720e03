package org.mixq.data.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.mixq.data.DataFormatException;

/**
 * Reads the entries of a tar stream (POSIX ustar, with GNU long names and pax path records),
 * enough to take regular files out of a published dataset archive. A 512-byte header per
 * entry (name, octal size, type, checksum), then the content padded to a multiple of 512.
 * Each header's checksum is checked, so a damaged archive fails instead of yielding garbage.
 */
final class TarReader {
    /** One entry: its path inside the archive, its content size in bytes, and whether it is a regular file. */
    record Entry(String name, long size, boolean regularFile) {
    }

    private static final int BLOCK = 512;

    private final InputStream in;
    private final String archive;
    private long remaining;
    private long padding;
    private long position;

    TarReader(InputStream in, String archive) {
        this.in = in;
        this.archive = archive;
    }

    /** The next entry, or null at the end of the archive; the previous entry's unread content is skipped. */
    Entry next() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
        String longName = null;
        while (true) {
            byte[] header = new byte[BLOCK];
            int got = in.readNBytes(header, 0, BLOCK);
            position += got;
            if (got == 0 || (got == BLOCK && allZero(header))) {
                return null;
            }
            if (got < BLOCK) {
                throw new DataFormatException(archive + ": tar stream ends inside a header at byte " + position + ", expected a complete archive");
            }
            checkChecksum(header);
            long size = size(header);
            char type = (char) header[156];
            String name = longName != null ? longName : name(header);
            longName = null;
            if (type == 'L' || type == 'x') {
                // GNU long name, or a pax extended header: both describe the entry that follows.
                byte[] data = readContent(size);
                longName = type == 'L' ? cString(data, 0, data.length) : paxPath(data);
                continue;
            }
            remaining = size;
            padding = (BLOCK - size % BLOCK) % BLOCK;
            return new Entry(name, size, type == '0' || type == '\0');
        }
    }

    /** The current entry's content; reading past its size gives end of stream. Not to be closed by the caller. */
    InputStream content() {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int b = in.read();
                if (b < 0) {
                    throw truncated();
                }
                remaining--;
                position++;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw truncated();
                }
                remaining -= n;
                position += n;
                return n;
            }

            @Override
            public void close() {
                // The archive stream stays open for the next entry.
            }
        };
    }

    private byte[] readContent(long size) throws IOException {
        if (size > 1 << 20) {
            throw new DataFormatException(archive + ": a " + size + "-byte name record at byte " + position + " is not plausible");
        }
        byte[] data = in.readNBytes((int) size);
        position += data.length;
        if (data.length < size) {
            throw truncated();
        }
        skip((BLOCK - size % BLOCK) % BLOCK);
        return data;
    }

    private void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw truncated();
                }
                skipped = 1;
            }
            left -= skipped;
            position += skipped;
        }
    }

    private DataFormatException truncated() {
        return new DataFormatException(archive + ": tar stream ends at byte " + position + " inside an entry, expected a complete archive");
    }

    /** The header checksum: the sum of its bytes with the checksum field itself counted as spaces. */
    private void checkChecksum(byte[] header) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += i >= 148 && i < 156 ? ' ' : header[i] & 0xff;
        }
        long stored = octal(header, 148, 8);
        if (stored != sum) {
            throw new DataFormatException(archive + ": damaged tar header at byte " + (position - BLOCK) + " (checksum " + stored
                    + ", computed " + sum + ")");
        }
    }

    /** The size field: octal text, or big-endian base-256 when its first byte has the high bit set (GNU, files over 8 GB). */
    private long size(byte[] header) {
        if ((header[124] & 0x80) != 0) {
            long v = 0;
            for (int i = 125; i < 136; i++) {
                v = v << 8 | (header[i] & 0xff);
            }
            return v;
        }
        return octal(header, 124, 12);
    }

    /** An octal number field: optional leading spaces, octal digits, ended by a space, a NUL or the field's end. */
    private long octal(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end && b[i] == ' ') {
            i++;
        }
        long v = 0;
        for (; i < end && b[i] != 0 && b[i] != ' '; i++) {
            if (b[i] < '0' || b[i] > '7') {
                throw new DataFormatException(archive + ": damaged tar header at byte " + (position - BLOCK) + " (bad octal number)");
            }
            v = v * 8 + (b[i] - '0');
        }
        return v;
    }

    private static String name(byte[] header) {
        String name = cString(header, 0, 100);
        boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** The "path=" record of a pax extended header ("<length> path=<value>\n" records), or null. */
    private static String paxPath(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        for (String record : text.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 6);
            }
        }
        return null;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
