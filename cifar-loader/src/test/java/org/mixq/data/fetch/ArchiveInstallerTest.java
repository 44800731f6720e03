package org.mixq.data.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mixq.data.CifarFormat;
import org.mixq.data.DataFormatException;

class ArchiveInstallerTest {
    private static final byte[] ONE = bytes(1000, 1);
    private static final byte[] TWO = bytes(513, 2);
    private static final byte[] NOTES = "class names\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    /** The published layout in small: a folder with two required files of known size and an optional one. */
    private ArchiveSpec spec(byte[] archive) throws IOException {
        Path tmp = Files.createTempFile(dir, "spec", ".tmp");
        Files.write(tmp, archive);
        String md5 = ArchiveInstaller.md5(tmp);
        Files.delete(tmp);
        return new ArchiveSpec("Tiny", URI.create("http://127.0.0.1:1/tiny.tar.gz"), "tiny.tar.gz", md5, archive.length, "tiny-bin",
                List.of(new ArchiveSpec.Member("one.bin", ONE.length, true), new ArchiveSpec.Member("two.bin", TWO.length, true),
                        new ArchiveSpec.Member("notes.txt", -1, false)));
    }

    private static TarWriter goodTar() {
        return new TarWriter().directory("tiny-bin/").file("tiny-bin/one.bin", ONE).file("tiny-bin/readme.html", bytes(50, 3))
                .file("tiny-bin/notes.txt", NOTES).file("tiny-bin/two.bin", TWO);
    }

    @Test
    void localCopyIsCheckedAndOnlyExpectedMembersAreUnpacked() throws IOException {
        byte[] archive = goodTar().tarGz();
        ArchiveSpec spec = spec(archive);
        Files.write(dir.resolve("tiny.tar.gz"), archive);
        ArchiveInstaller.Result r = ArchiveInstaller.install(spec, dir, ArchiveInstaller.Progress.NONE);
        assertEquals(ArchiveInstaller.Outcome.UNPACKED_LOCAL_COPY, r.outcome());
        Path folder = dir.resolve("tiny-bin");
        assertEquals(folder, r.folder());
        assertArrayEquals(ONE, Files.readAllBytes(folder.resolve("one.bin")));
        assertArrayEquals(TWO, Files.readAllBytes(folder.resolve("two.bin")));
        assertArrayEquals(NOTES, Files.readAllBytes(folder.resolve("notes.txt")));
        assertFalse(Files.exists(folder.resolve("readme.html")), "only the expected members come out");
        assertTrue(Files.exists(dir.resolve("tiny.tar.gz")), "a copy put there by hand is left alone");
        assertEquals(ArchiveInstaller.Outcome.ALREADY_PRESENT, ArchiveInstaller.install(spec, dir, ArchiveInstaller.Progress.NONE).outcome());
        assertEquals(List.of("tiny-bin", "tiny.tar.gz"), listing(dir));
    }

    @Test
    void downloadOverHttpFollowsARedirectReportsProgressAndUnpacks() throws IOException {
        byte[] archive = goodTar().longNameFile("tiny-bin/" + "x".repeat(120) + ".bin", bytes(10, 4)).tarGz();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/old", ex -> {
            ex.getResponseHeaders().add("Location", "/files/tiny.tar.gz");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/files/tiny.tar.gz", ex -> {
            ex.sendResponseHeaders(200, archive.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(archive);
            }
        });
        server.start();
        try {
            URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/old");
            ArchiveSpec spec = spec(archive).withUrl(url);
            List<long[]> progress = new ArrayList<>();
            ArchiveInstaller.Result r = ArchiveInstaller.install(spec, dir, (done, total) -> progress.add(new long[] {done, total}));
            assertEquals(ArchiveInstaller.Outcome.DOWNLOADED, r.outcome());
            assertArrayEquals(TWO, Files.readAllBytes(r.folder().resolve("two.bin")));
            assertArrayEquals(new long[] {archive.length, archive.length}, progress.get(progress.size() - 1));
            assertEquals(List.of("tiny-bin"), listing(dir), "the downloaded archive and temporary files are gone");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void offlineDownloadSaysWhereToPutTheFileByHand() throws IOException {
        ArchiveSpec spec = spec(goodTar().tarGz());
        DownloadException e = assertThrows(DownloadException.class, () -> ArchiveInstaller.install(spec, dir, ArchiveInstaller.Progress.NONE));
        assertOneLine(e, "cannot download http://127.0.0.1:1/tiny.tar.gz", "put it in " + dir);
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void wrongMd5IsRejectedBeforeAnythingIsUnpacked() throws IOException {
        byte[] archive = goodTar().tarGz();
        ArchiveSpec spec = spec(archive);
        byte[] other = goodTar().file("tiny-bin/extra", new byte[1]).tarGz();
        Files.write(dir.resolve("tiny.tar.gz"), other);
        DataFormatException e = assertThrows(DataFormatException.class, () -> ArchiveInstaller.install(spec, dir, ArchiveInstaller.Progress.NONE));
        assertOneLine(e, dir.resolve("tiny.tar.gz").toString(), "MD5", "expected " + spec.md5());
        assertEquals(List.of("tiny.tar.gz"), listing(dir));
    }

    @Test
    void pathWithDotDotIsRefused() throws IOException {
        assertRejected(goodTar().file("tiny-bin/../../evil.bin", ONE), "unsafe path");
        assertFalse(Files.exists(dir.getParent().resolve("evil.bin")));
    }

    @Test
    void absolutePathIsRefused() throws IOException {
        assertRejected(goodTar().file("/tmp/evil.bin", ONE), "unsafe path");
    }

    @Test
    void missingMemberIsNamed() throws IOException {
        assertRejected(new TarWriter().file("tiny-bin/one.bin", ONE), "has no member tiny-bin/two.bin");
    }

    @Test
    void memberOfWrongSizeIsRejected() throws IOException {
        assertRejected(new TarWriter().file("tiny-bin/one.bin", ONE).file("tiny-bin/two.bin", bytes(10, 1)), "two.bin has 10 bytes, expected 513");
    }

    @Test
    void truncatedGzipIsRejected() throws IOException {
        byte[] whole = goodTar().tarGz();
        assertRejectedArchive(Arrays.copyOf(whole, whole.length - 30), "truncated gzip");
    }

    @Test
    void damagedHeaderIsRejected() throws IOException {
        byte[] tar = goodTar().tar();
        tar[600] ^= 1;
        assertRejectedArchive(gzip(tar), "damaged tar header");
    }

    @Test
    void incompleteExistingFolderIsNotOverwritten() throws IOException {
        Files.createDirectories(dir.resolve("tiny-bin"));
        Files.write(dir.resolve("tiny-bin/one.bin"), ONE);
        ArchiveSpec spec = spec(goodTar().tarGz());
        DataFormatException e = assertThrows(DataFormatException.class, () -> ArchiveInstaller.install(spec, dir, ArchiveInstaller.Progress.NONE));
        assertOneLine(e, "incomplete", "missing two.bin", "remove it");
    }

    @Test
    void unsafeNames() {
        assertTrue(ArchiveInstaller.unsafe("../x"));
        assertTrue(ArchiveInstaller.unsafe("a/../../x"));
        assertTrue(ArchiveInstaller.unsafe("/etc/passwd"));
        assertTrue(ArchiveInstaller.unsafe("a\\..\\x"));
        assertFalse(ArchiveInstaller.unsafe("cifar-10-batches-bin/data_batch_1.bin"));
        assertFalse(ArchiveInstaller.unsafe("a/..b/x"));
    }

    @Test
    void cifarSpecsListThePublishedFiles() {
        ArchiveSpec c10 = ArchiveSpec.cifar(CifarFormat.CIFAR10);
        assertEquals("c32a1d4ab5d03f1284b67883e8d87530", c10.md5());
        assertEquals(170_052_171L, c10.size());
        assertEquals("cifar-10-batches-bin", c10.folder());
        assertEquals(30_730_000L, c10.members().get(0).size());
        assertEquals(6, c10.members().stream().filter(ArchiveSpec.Member::required).count());
        ArchiveSpec c100 = ArchiveSpec.cifar(CifarFormat.CIFAR100);
        assertEquals("03b5dce01913d631647c71ecec9e9cb8", c100.md5());
        assertEquals(153_700_000L, c100.members().get(0).size());
        assertEquals(30_740_000L, c100.members().get(1).size());
    }

    private void assertRejected(TarWriter tar, String what) throws IOException {
        assertRejectedArchive(tar.tarGz(), what);
    }

    /** The archive, put in place with its own MD5, is refused with a message naming it, and no folder appears. */
    private void assertRejectedArchive(byte[] archive, String what) throws IOException {
        ArchiveSpec spec = spec(archive);
        Path file = dir.resolve("tiny.tar.gz");
        Files.write(file, archive);
        DataFormatException e = assertThrows(DataFormatException.class, () -> ArchiveInstaller.install(spec, dir, ArchiveInstaller.Progress.NONE));
        assertOneLine(e, file.toString(), what);
        assertEquals(List.of("tiny.tar.gz"), listing(dir), "no folder, no temporary files");
    }

    private static void assertOneLine(RuntimeException e, String... parts) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message should mention '" + p + "': " + e.getMessage());
        }
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    private static byte[] gzip(byte[] data) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }
}
