package org.mixq.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the kernels jar carries: every kernel source, and, when nvcc was on the build's PATH,
 * its PTX for each architecture, compiled with the flags that keep CPU parity.
 */
class KernelResourcesTest {

    @Test
    void everyCudaFileIsListedAndShippedAsSource() throws IOException {
        Set<String> listed = Arrays.stream(KernelSource.values()).map(s -> s.file + ".cu")
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> onDisk;
        try (Stream<Path> files = Files.list(Path.of("src", "main", "cuda"))) {
            onDisk = files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".cu"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(onDisk, listed, "KernelSource must list exactly the files of src/main/cuda");
        for (KernelSource s : KernelSource.values()) {
            byte[] text = KernelSource.resource(s.sourceResource());
            assertNotNull(text, s.sourceResource() + " is not on the class path");
            assertTrue(new String(text, StandardCharsets.UTF_8).contains("extern \"C\""), s.file + " has no extern \"C\" kernel");
        }
    }

    @Test
    void ptxForEveryFileAndArchitectureWhenNvccRan() {
        assumeTrue(KernelSource.resource(KernelSource.GEMM.ptxResource(80)) != null,
                "the build ran without nvcc: no PTX in the jar");
        for (KernelSource s : KernelSource.values()) {
            for (int arch : KernelSource.PTX_ARCHS) {
                String ptx = ptx(s, arch);
                assertTrue(ptx.contains(".target sm_" + arch), s.file + " sm" + arch + " has the wrong target");
                assertTrue(ptx.contains(".visible .entry"), s.file + " sm" + arch + " has no kernel entry");
            }
        }
    }

    @Test
    void quantizationPtxDividesExactlyRoundsHalfEvenAndNeverFuses() {
        assumeTrue(KernelSource.resource(KernelSource.FAKE_QUANT.ptxResource(80)) != null,
                "the build ran without nvcc: no PTX in the jar");
        for (int arch : KernelSource.PTX_ARCHS) {
            String fq = ptx(KernelSource.FAKE_QUANT, arch);
            assertTrue(fq.contains("div.rn.f32"), "w / s must be an IEEE division (div.rn), not an approximation");
            assertFalse(fq.contains("div.approx") || fq.contains("div.full"), "approximate division in fake_quant");
            assertTrue(fq.contains("cvt.rni.f32.f32"), "rintf must round half to even (cvt.rni)");
            for (KernelSource s : new KernelSource[] {KernelSource.FAKE_QUANT, KernelSource.ELEMENTWISE}) {
                assertFalse(ptx(s, arch).contains("fma."), s.file + " must be compiled with -fmad=false");
            }
        }
    }

    private static String ptx(KernelSource s, int arch) {
        byte[] b = KernelSource.resource(s.ptxResource(arch));
        assertNotNull(b, s.ptxResource(arch) + " is missing although other PTX is present");
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void withoutNvrtcTheProbeRejectsDriversThatCannotReadThePtx() {
        String isa = KernelModule.ptxIsaVersion();
        assumeTrue(isa != null, "the build ran without nvcc: no PTX in the jar");
        assumeTrue(Natives.nvrtcMissing() != null, "NVRTC is available here, so any driver can load the kernels");
        int needed = Integer.parseInt(isa.substring(0, isa.indexOf('.'))) + 4;
        assertEquals(null, KernelModule.unloadableReason(90, needed * 1000));
        String old = KernelModule.unloadableReason(90, (needed - 1) * 1000 + 40);
        assertNotNull(old);
        assertTrue(old.contains("needs a CUDA " + needed + " driver"), old);
        assertTrue(KernelModule.unloadableReason(75, needed * 1000).contains("no PTX for sm_75"));
    }
}
