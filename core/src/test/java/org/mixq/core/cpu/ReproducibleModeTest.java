package org.mixq.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mixq.core.Backend;
import org.mixq.core.Backends;
import org.mixq.core.testing.ChildJvm;

/**
 * The reproducible mode gives the same bits on any thread count and vector width: every op of
 * {@link ReproducibleWorkload} on one thread and three in this JVM, and in child JVMs that
 * change what a machine would change: 8-lane vectors instead of 16 ({@code -XX:MaxVectorSize=32},
 * the vectors of an AVX2 machine), AVX2 code only ({@code -XX:UseAVX=2}), another OpenBLAS core
 * type, and no Vector API module at all (then the plain-Java GEMM and im2col serve every
 * convolution). The mode is switched on there as a user does, with {@code MIXQ_REPRODUCIBLE=1}.
 */
class ReproducibleModeTest {

    @Test
    void oneAndThreeThreadsGiveTheSameBits() {
        List<String> single;
        List<String> multi;
        try (Backend one = new CpuBackend(1, CpuGemm.Provider.ORDERED);
             Backend three = new CpuBackend(3, CpuGemm.Provider.ORDERED)) {
            single = ReproducibleWorkload.run(one);
            multi = ReproducibleWorkload.run(three);
        }
        assertSameLines("3 threads", single, multi);
    }

    @Test
    void otherVectorWidthsAndNoVectorApiGiveTheSameBits() throws IOException, InterruptedException {
        List<String> expected;
        try (Backend here = new CpuBackend(2, CpuGemm.Provider.ORDERED)) {
            expected = ReproducibleWorkload.run(here);
        }
        String vector = "--add-modules=jdk.incubator.vector";
        assertSameLines("8-lane vectors, 1 thread", expected, child("1", "Haswell", vector, "-XX:MaxVectorSize=32"));
        assertSameLines("AVX2 only, 3 threads", expected, child("3", "Haswell", vector, "-XX:UseAVX=2"));
        assertSameLines("SkylakeX OpenBLAS kernels, 2 threads", expected, child("2", "SkylakeX", vector));
        assertSameLines("no Vector API, 2 threads", expected, child("2", "Haswell"));
    }

    @Test
    void theModeIsSwitchedByTheEnvironmentAndShownInTheDescription() throws IOException, InterruptedException {
        try (Backend b = new CpuBackend(1, CpuGemm.Provider.ORDERED)) {
            assertTrue(b.describe().contains("reproducible mode, gemm=VECTOR"), b.describe());
            assertTrue(b.describe().contains("filter gradient: im2col+gemm in the reproducible mode"), b.describe());
        }
        List<String> lines = run(List.of("--add-modules=jdk.incubator.vector", DescribeBackend.class.getName()),
                Map.of(Backends.REPRODUCIBLE_ENV, "1", "MIXQ_THREADS", "1"));
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("reproducible mode, gemm=VECTOR"), lines.get(0));
    }

    /** Prints {@link Backends#best()}'s description, for a child JVM. */
    static final class DescribeBackend {
        public static void main(String[] args) {
            try (Backend b = Backends.best()) {
                System.out.println(b.describe());
            }
        }
    }

    private static List<String> child(String threads, String coreType, String... jvmArgs)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(jvmArgs));
        args.add(ReproducibleWorkload.class.getName());
        return run(args, Map.of(Backends.REPRODUCIBLE_ENV, "1", "MIXQ_THREADS", threads, "OPENBLAS_CORETYPE", coreType));
    }

    /** Runs a class of this module in a child JVM with {@code env} added; its standard output lines. */
    private static List<String> run(List<String> args, Map<String, String> env) throws IOException, InterruptedException {
        ChildJvm.Result r = ChildJvm.run(args, env);
        assertEquals(0, r.code(), "child JVM " + args + " failed: " + r.out() + r.err());
        return r.lines();
    }

    private static void assertSameLines(String what, List<String> expected, List<String> actual) {
        assertEquals(expected.size(), actual.size(), what + ": " + actual);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), what + ": op " + i + " differs");
        }
    }
}
