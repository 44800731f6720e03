package org.mixq.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A class of the test class path run in a child JVM of this JVM's runtime, for what a test cannot
 * change in its own JVM: the environment a native library reads once (OPENBLAS_CORETYPE),
 * JIT flags (the vector width), modules.
 */
public final class ChildJvm {
    /** Exit code, standard output and standard error. */
    public record Result(int code, String out, String err) {
        public List<String> lines() {
            return out.lines().toList();
        }
    }

    private ChildJvm() {
    }

    /** Runs {@code java -Xmx1g -cp <test class path> args...} with {@code env} added to this process's environment. */
    public static Result run(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(args);
        Path err = Files.createTempFile("child-jvm", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            return new Result(code, out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
