package org.mixq.data.fetch;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.mixq.data.DataFormatException;

/**
 * Puts a published dataset archive's folder into a directory: downloads the archive (unless a
 * copy is already there, e.g. put by hand on a machine without network), checks its MD5,
 * and unpacks only the expected members into a temporary folder that is renamed into place
 * once complete, so the dataset folder is either absent or whole.
 */
public final class ArchiveInstaller {
    /** Receives download progress; total is -1 when unknown. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> { };

        void update(long done, long total);
    }

    /** What {@link #install} did. */
    public enum Outcome { ALREADY_PRESENT, DOWNLOADED, UNPACKED_LOCAL_COPY }

    public record Result(Path folder, Outcome outcome) {
    }

    private static final int MAX_REDIRECTS = 5;

    private ArchiveInstaller() {
    }

    /** Makes {@code dir/spec.folder()} hold the archive's members. */
    public static Result install(ArchiveSpec spec, Path dir, Progress progress) {
        Path folder = dir.resolve(spec.folder());
        Path archive = dir.resolve(spec.fileName());
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DownloadException("cannot create the folder " + dir + " (" + e + ")", e);
        }
        List<String> problems = problems(spec, folder);
        if (problems.isEmpty()) {
            return new Result(folder, Outcome.ALREADY_PRESENT);
        }
        if (Files.exists(folder)) {
            throw new DataFormatException(folder + " exists but is incomplete (" + String.join(", ", problems) + "); remove it and rerun");
        }
        Outcome outcome;
        if (Files.isRegularFile(archive)) {
            String md5 = md5(archive);
            if (!md5.equals(spec.md5())) {
                throw new DataFormatException(archive + ": MD5 " + md5 + ", expected " + spec.md5()
                        + " (not the published " + spec.title() + " archive, or damaged); delete it and rerun");
            }
            outcome = Outcome.UNPACKED_LOCAL_COPY;
        } else {
            download(spec, dir, archive, progress);
            outcome = Outcome.DOWNLOADED;
        }
        extract(spec, archive, dir);
        if (outcome == Outcome.DOWNLOADED) {
            delete(archive);
        }
        return new Result(folder, outcome);
    }

    /** What is wrong with an installed folder: missing members, or members of the wrong size; empty when complete. */
    static List<String> problems(ArchiveSpec spec, Path folder) {
        List<String> problems = new ArrayList<>();
        for (ArchiveSpec.Member m : spec.members()) {
            Path p = folder.resolve(m.name());
            try {
                if (!Files.isRegularFile(p)) {
                    if (m.required()) {
                        problems.add("missing " + m.name());
                    }
                } else if (m.size() >= 0 && Files.size(p) != m.size()) {
                    problems.add(m.name() + " has " + Files.size(p) + " bytes, expected " + m.size());
                }
            } catch (IOException e) {
                problems.add(m.name() + " cannot be read");
            }
        }
        return problems;
    }

    /** Downloads to a temporary file beside the target, checks the MD5 on the way, then renames it into place. */
    private static void download(ArchiveSpec spec, Path dir, Path archive, Progress progress) {
        Path part = dir.resolve("." + spec.fileName() + ".part");
        String digest;
        try (Download raw = open(spec);
                DigestInputStream in = new DigestInputStream(raw.in, newMd5());
                OutputStream out = Files.newOutputStream(part)) {
            long total = raw.length >= 0 ? raw.length : spec.size();
            byte[] buf = new byte[1 << 16];
            long done = 0;
            progress.update(0, total);
            for (int n; (n = in.read(buf)) > 0;) {
                out.write(buf, 0, n);
                done += n;
                progress.update(done, total);
            }
            digest = hex(in.getMessageDigest().digest());
        } catch (IOException e) {
            delete(part);
            throw new DownloadException("cannot download " + spec.url() + " (" + e + "); without network, fetch " + spec.fileName()
                    + " elsewhere, put it in " + dir + " and rerun (its MD5 is checked before it is unpacked), or unpack it yourself so that "
                    + dir.resolve(spec.folder()) + " holds its files", e);
        }
        if (!digest.equals(spec.md5())) {
            delete(part);
            throw new DownloadException("downloaded " + spec.url() + " has MD5 " + digest + ", expected " + spec.md5() + " (damaged download); rerun");
        }
        move(part, archive);
    }

    /** An open download and its length in bytes (-1 if unknown), following up to five HTTP redirects. */
    private record Download(InputStream in, long length) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static Download open(ArchiveSpec spec) throws IOException {
        URL url = spec.url().toURL();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            URLConnection conn = url.openConnection();
            conn.setConnectTimeout(20_000);
            conn.setReadTimeout(60_000);
            if (!(conn instanceof HttpURLConnection)) {
                return new Download(new BufferedInputStream(conn.getInputStream()), conn.getContentLengthLong());
            }
            HttpURLConnection http = (HttpURLConnection) conn;
            // Redirects are followed here because HttpURLConnection does not follow one from http to https.
            http.setInstanceFollowRedirects(false);
            int code = http.getResponseCode();
            if (code >= 300 && code < 400 && http.getHeaderField("Location") != null) {
                url = resolve(url, http.getHeaderField("Location"));
                http.disconnect();
                continue;
            }
            if (code != 200) {
                http.disconnect();
                throw new IOException("HTTP " + code + " from " + url);
            }
            return new Download(new BufferedInputStream(http.getInputStream()), http.getContentLengthLong());
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects");
    }

    private static URL resolve(URL base, String location) throws IOException {
        try {
            return base.toURI().resolve(location).toURL();
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw new IOException("bad redirect to '" + location + "'", e);
        }
    }

    /**
     * Unpacks the expected members of {@code archive} into a temporary folder in {@code dir},
     * checks that every required one came out with its size, and renames the folder into place.
     */
    static void extract(ArchiveSpec spec, Path archive, Path dir) {
        Path tmp;
        try {
            tmp = Files.createTempDirectory(dir, "." + spec.folder() + ".");
        } catch (IOException e) {
            throw new DownloadException("cannot create a temporary folder in " + dir + " (" + e + ")", e);
        }
        try {
            Set<String> found = unpack(spec, archive, tmp);
            for (ArchiveSpec.Member m : spec.members()) {
                if (m.required() && !found.contains(m.name())) {
                    throw new DataFormatException(archive + ": has no member " + spec.folder() + "/" + m.name() + ", expected "
                            + requiredNames(spec));
                }
            }
            move(tmp, dir.resolve(spec.folder()));
        } finally {
            deleteTree(tmp);
        }
    }

    private static Set<String> unpack(ArchiveSpec spec, Path archive, Path tmp) {
        Set<String> found = new HashSet<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16), 1 << 16)) {
            TarReader tar = new TarReader(in, archive.toString());
            for (TarReader.Entry e; (e = tar.next()) != null;) {
                String name = e.name().startsWith("./") ? e.name().substring(2) : e.name();
                if (unsafe(name)) {
                    throw new DataFormatException(archive + ": member " + e.name() + " has an unsafe path (absolute or with ..); refusing to unpack");
                }
                ArchiveSpec.Member m = member(spec, name);
                if (m == null || !e.regularFile()) {
                    continue;
                }
                if (m.size() >= 0 && e.size() != m.size()) {
                    throw new DataFormatException(archive + ": member " + name + " has " + e.size() + " bytes, expected " + m.size());
                }
                Files.copy(tar.content(), tmp.resolve(m.name()), StandardCopyOption.REPLACE_EXISTING);
                found.add(m.name());
            }
        } catch (EOFException e) {
            throw new DataFormatException(archive + ": truncated gzip stream, expected a complete .tar.gz", e);
        } catch (ZipException e) {
            throw new DataFormatException(archive + ": not a valid gzip stream (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DataFormatException(archive + ": cannot be unpacked (" + e + ")", e);
        }
        return found;
    }

    /** The expected member with archive path {@code name} ("folder/member"), or null. */
    private static ArchiveSpec.Member member(ArchiveSpec spec, String name) {
        for (ArchiveSpec.Member m : spec.members()) {
            if (name.equals(spec.folder() + "/" + m.name())) {
                return m;
            }
        }
        return null;
    }

    /** Whether extracting a path could escape the target folder: absolute, or with a ".." segment. */
    static boolean unsafe(String name) {
        if (name.startsWith("/") || name.startsWith("\\") || name.matches("^[A-Za-z]:.*")) {
            return true;
        }
        for (String segment : name.split("[/\\\\]")) {
            if (segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static String requiredNames(ArchiveSpec spec) {
        return String.join(", ", spec.members().stream().filter(ArchiveSpec.Member::required).map(ArchiveSpec.Member::name).toList());
    }

    /** The MD5 of a file as 32 lowercase hex digits. */
    static String md5(Path file) {
        MessageDigest md = newMd5();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new DataFormatException(file + ": cannot be read (" + e + ")", e);
        }
        return hex(md.digest());
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    private static String hex(byte[] digest) {
        StringBuilder sb = new StringBuilder();
        for (byte b : digest) {
            sb.append(String.format("%02x", b & 0xff));
        }
        return sb.toString();
    }

    private static void move(Path from, Path to) {
        try {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to);
            }
        } catch (IOException e) {
            throw new DownloadException("cannot rename " + from + " to " + to + " (" + e + ")", e);
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // Leaving a temporary file behind is harmless; the error being reported matters more.
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(ArchiveInstaller::delete);
        } catch (IOException e) {
            // As in delete: a leftover temporary folder does not hide the real outcome.
        }
    }
}
