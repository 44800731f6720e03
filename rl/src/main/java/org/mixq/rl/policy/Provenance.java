package org.mixq.rl.policy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/**
 * Where a policy came from, recorded in policy files: the command line, the seed, the date
 * (UTC, ISO-8601) and the git commit of the mixq checkout the classes were loaded from.
 * Each part is null when unknown and then left out of the file.
 */
public record Provenance(String command, Long seed, String date, String commit) {
    /** How long the commit lookup may take before it is given up (it is only a note). */
    private static final long GIT_TIMEOUT_MS = 2000;

    /** Now, with the commit of the running mixq when a git checkout holds it. */
    public static Provenance now(String command, Long seed) {
        return new Provenance(command, seed, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), gitHead());
    }

    /**
     * {@code git rev-parse HEAD} run in the folder of the mixq classes (target/classes or the
     * jar's folder), or null when that is not a git checkout, git is missing or slow.
     */
    static String gitHead() {
        try {
            CodeSource src = Provenance.class.getProtectionDomain().getCodeSource();
            if (src == null) {
                return null;
            }
            Path where = Path.of(src.getLocation().toURI());
            Path dir = Files.isDirectory(where) ? where : where.getParent();
            if (dir == null) {
                return null;
            }
            Process p = new ProcessBuilder("git", "-C", dir.toString(), "rev-parse", "HEAD")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(GIT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            return p.exitValue() == 0 && out.matches("[0-9a-f]{40,64}") ? out : null;
        } catch (IOException | URISyntaxException | IllegalArgumentException | SecurityException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
