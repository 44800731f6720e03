package org.mixq.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mixq.core.Backend;
import org.mixq.core.testing.ChildJvm;

/**
 * OpenBLAS picks its kernels by CPU (AVX2 on most workstations, AVX-512 on newer servers) and
 * they round differently, so the thread-count promise is checked under each in a child JVM
 * (OpenBLAS reads {@code OPENBLAS_CORETYPE} once, when it loads): every op of
 * {@link ReproducibleWorkload} with both OpenBLAS bindings on one thread and on three. A core
 * type whose instructions this CPU lacks is skipped, with the reason.
 */
class CoreTypeThreadCountTest {

    @ParameterizedTest
    @CsvSource({"Haswell, avx2", "SkylakeX, avx512f"})
    void openBlasResultsDoNotDependOnTheThreadCount(String coreType, String cpuFlag) throws IOException, InterruptedException {
        assumeTrue(cpuHas(cpuFlag), "this CPU has no " + cpuFlag + " for OpenBLAS's " + coreType + " kernels");
        ChildJvm.Result r = ChildJvm.run(List.of("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                Check.class.getName()), Map.of("OPENBLAS_CORETYPE", coreType));
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains(" " + coreType + " "), "OpenBLAS did not take core type " + coreType + ": " + r.out());
    }

    private static boolean cpuHas(String flag) throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        return Files.isReadable(cpuinfo) && Files.readString(cpuinfo).matches("(?s).*\\bflags\\s*:[^\\n]*\\b" + flag + "\\b.*");
    }

    /** Child JVM: prints OpenBLAS's build line, then the first op that differs between 1 and 3 threads (exit 1), if any. */
    static final class Check {
        public static void main(String[] args) {
            System.out.println(OpenBlasLane.load());
            for (CpuGemm.Provider provider : new CpuGemm.Provider[] {CpuGemm.Provider.OPENBLAS, CpuGemm.Provider.OPENBLAS_JNI}) {
                List<String> single;
                List<String> multi;
                try (Backend one = new CpuBackend(1, provider); Backend three = new CpuBackend(3, provider)) {
                    single = ReproducibleWorkload.run(one);
                    multi = ReproducibleWorkload.run(three);
                }
                for (int i = 0; i < single.size(); i++) {
                    if (!single.get(i).equals(multi.get(i))) {
                        System.out.println(provider + ": 1 thread " + single.get(i) + ", 3 threads " + multi.get(i));
                        System.exit(1);
                    }
                }
            }
        }
    }
}
