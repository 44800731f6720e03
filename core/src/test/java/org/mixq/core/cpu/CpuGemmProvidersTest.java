package org.mixq.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mixq.core.testing.ArrayAssertions;
import org.mixq.core.testing.RandomArrays;
import org.mixq.core.testing.Tolerances;

/**
 * The SGEMM providers on the same inputs, through the raw row-major entry point with
 * offsets and leading dimensions larger than the rows (as the convolution uses it): each
 * against a double-precision reference, against each other, and on one thread against three.
 */
class CpuGemmProvidersTest {
    private static final CpuGemm.Provider[] PROVIDERS = {CpuGemm.Provider.OPENBLAS, CpuGemm.Provider.OPENBLAS_JNI,
            CpuGemm.Provider.VECTOR, CpuGemm.Provider.JAVA};
    /** m, n, k: ones, odd sizes, a depth past one 256-deep block, and sizes split between threads. */
    private static final int[][] SIZES = {{1, 1, 1}, {3, 17, 65}, {17, 3, 1}, {65, 33, 17}, {40, 600, 19},
            {130, 70, 300}, {257, 20, 33}, {48, 100, 1000}};

    /** One product with its operands stored inside larger arrays. */
    private record Case(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
                        float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {

        static Case random(SplittableRandom rnd, boolean transA, boolean transB, int m, int n, int k, float alpha,
                           float beta) {
            int aRows = transA ? k : m;
            int aCols = transA ? m : k;
            int bRows = transB ? n : k;
            int bCols = transB ? k : n;
            int lda = aCols + 3;
            int ldb = bCols + 1;
            int ldc = n + 5;
            return new Case(transA, transB, m, n, k, alpha, beta,
                    RandomArrays.uniform(rnd, 7 + aRows * lda, -1f, 1f), 7, lda,
                    RandomArrays.uniform(rnd, 2 + bRows * ldb, -1f, 1f), 2, ldb,
                    RandomArrays.uniform(rnd, 4 + m * ldc + 3, -1f, 1f), 4, ldc);
        }

        float[] run(CpuGemm gemm) {
            float[] out = c.clone();
            gemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            return out;
        }

        /** The expected c array: the m x n block replaced in double precision, everything else unchanged. */
        float[] reference() {
            float[] out = c.clone();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                        sum += av * bv;
                    }
                    int at = cOff + i * ldc + j;
                    out[at] = (float) (alpha * sum + (beta == 0f ? 0 : (double) beta * c[at]));
                }
            }
            return out;
        }

        /** The c array as one FMA chain per element, from beta * c over p in order, with alpha folded into a. */
        float[] fmaChain() {
            float[] out = c.clone();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int at = cOff + i * ldc + j;
                    float sum = beta == 0f ? 0f : beta * c[at];
                    for (int p = 0; p < k; p++) {
                        float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        float bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                        sum = Math.fma(alpha == 1f ? av : alpha * av, bv, sum);
                    }
                    out[at] = sum;
                }
            }
            return out;
        }

        @Override
        public String toString() {
            return m + "x" + n + "x" + k + (transA ? " A^T" : "") + (transB ? " B^T" : "") + " alpha " + alpha + " beta " + beta;
        }
    }

    private static Case[] cases() {
        SplittableRandom rnd = new SplittableRandom(41);
        float[][] scalars = {{1f, 0f}, {-0.5f, 1f}, {1.5f, 0.75f}};
        Case[] out = new Case[SIZES.length * 4];
        int i = 0;
        for (int[] s : SIZES) {
            for (int t = 0; t < 4; t++) {
                float[] ab = scalars[(i + t) % scalars.length];
                out[i++] = Case.random(rnd, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], ab[0], ab[1]);
            }
        }
        return out;
    }

    @Test
    void everyProviderMatchesTheReferenceAndTheOthers() {
        Case[] cases = cases();
        float[][][] results = new float[PROVIDERS.length][][];
        for (int p = 0; p < PROVIDERS.length; p++) {
            try (CpuThreads threads = new CpuThreads(2); CpuGemm gemm = new CpuGemm(threads, PROVIDERS[p])) {
                assertEquals(PROVIDERS[p].name(), gemm.provider());
                results[p] = new float[cases.length][];
                for (int i = 0; i < cases.length; i++) {
                    results[p][i] = cases[i].run(gemm);
                    ArrayAssertions.assertClose(PROVIDERS[p] + " " + cases[i], cases[i].reference(), results[p][i],
                            Tolerances.reduction(cases[i].k + 1), 0f);
                }
            }
        }
        for (int p = 1; p < PROVIDERS.length; p++) {
            for (int i = 0; i < cases.length; i++) {
                ArrayAssertions.assertClose(PROVIDERS[p] + " vs " + PROVIDERS[0] + " " + cases[i], results[0][i], results[p][i],
                        2 * Tolerances.reduction(cases[i].k + 1), 0f);
            }
        }
    }

    @Test
    void betaZeroIgnoresNaNInEveryProvider() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (CpuGemm.Provider provider : PROVIDERS) {
            try (CpuThreads threads = new CpuThreads(2); CpuGemm gemm = new CpuGemm(threads, provider)) {
                for (int[] s : SIZES) {
                    Case c = Case.random(rnd, false, true, s[0], s[1], s[2], 1f, 0f);
                    for (int i = 0; i < c.m; i++) {
                        Arrays.fill(c.c, c.cOff + i * c.ldc, c.cOff + i * c.ldc + c.n, Float.NaN);
                    }
                    ArrayAssertions.assertClose(provider + " " + c, c.reference(), c.run(gemm), Tolerances.reduction(c.k), 0f);
                }
            }
        }
    }

    /**
     * Work is split into tiles fixed by the product's shape, so one thread and three give the
     * same bits with every provider, whatever kernels the BLAS picks on this machine (OpenBLAS's
     * AVX2 kernels round an element by where it falls in its block).
     */
    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Case[] some = cases();
        Case[] cases = Arrays.copyOf(some, some.length + 2);
        // alpha 1, beta 0, no transposes, 8M multiply-adds: the case OpenBLAS may send to its direct kernel
        cases[some.length] = Case.random(new SplittableRandom(43), false, false, 200, 200, 200, 1f, 0f);
        // many tiles, with a last one that is not a whole number of vectors
        cases[some.length + 1] = Case.random(new SplittableRandom(44), false, true, 70, 1001, 300, 1f, 1f);
        for (CpuGemm.Provider provider : new CpuGemm.Provider[] {CpuGemm.Provider.OPENBLAS, CpuGemm.Provider.OPENBLAS_JNI,
                CpuGemm.Provider.VECTOR, CpuGemm.Provider.JAVA, CpuGemm.Provider.ORDERED}) {
            try (CpuThreads one = new CpuThreads(1); CpuThreads two = new CpuThreads(2); CpuThreads three = new CpuThreads(3);
                 CpuGemm single = new CpuGemm(one, provider); CpuGemm dual = new CpuGemm(two, provider);
                 CpuGemm multi = new CpuGemm(three, provider)) {
                for (Case c : cases) {
                    float[] expected = c.run(single);
                    ArrayAssertions.assertExact(provider + " " + c + " on 2 threads", expected, c.run(dual));
                    ArrayAssertions.assertExact(provider + " " + c + " on 3 threads", expected, c.run(multi));
                }
            }
        }
    }

    /**
     * mixq's own kernels compute every element as one FMA chain over the depth in order, so the
     * Vector API kernel and the plain-Java one agree to the bit (the reproducible mode relies
     * on it), and one chain is what a scalar loop of {@link Math#fma} computes.
     */
    @Test
    void ownKernelsComputeOneFmaChainPerElement() {
        Case[] some = cases();
        Case[] cases = Arrays.copyOf(some, some.length + 1);
        // deeper than one packed block of both kernels, c read with beta 0.75
        cases[some.length] = Case.random(new SplittableRandom(45), true, false, 9, 37, 700, 1.5f, 0.75f);
        try (CpuThreads threads = new CpuThreads(2); CpuGemm vector = new CpuGemm(threads, CpuGemm.Provider.VECTOR);
             CpuGemm java = new CpuGemm(threads, CpuGemm.Provider.JAVA)) {
            for (Case c : cases) {
                float[] chain = c.fmaChain();
                ArrayAssertions.assertExact("VECTOR " + c, chain, c.run(vector));
                ArrayAssertions.assertExact("JAVA " + c, chain, c.run(java));
            }
        }
    }

    @Test
    void autoPicksOpenBlasWhenItsNativesAreOnTheClassPath() {
        try (CpuThreads threads = new CpuThreads(1); CpuGemm gemm = new CpuGemm(threads, CpuGemm.Provider.AUTO)) {
            assertEquals("OPENBLAS", gemm.provider());
            assertTrue(gemm.providerReason().contains("OpenBLAS"), gemm.providerReason());
        }
        try (CpuThreads threads = new CpuThreads(1); CpuGemm gemm = new CpuGemm(threads, CpuGemm.Provider.JAVA)) {
            assertEquals("JAVA", gemm.provider());
            assertTrue(gemm.providerReason().startsWith("requested"), gemm.providerReason());
        }
    }

    /**
     * The in-place binding and the copying one run the same OpenBLAS build, so they give the
     * same bits; the in-place one must also leave every element of c outside the block alone
     * (it writes into the caller's array, where the copying one writes only the block back).
     */
    @Test
    void bothOpenBlasBindingsGiveTheSameBits() {
        try (CpuThreads threads = new CpuThreads(2); CpuGemm inPlace = new CpuGemm(threads, CpuGemm.Provider.OPENBLAS);
             CpuGemm copying = new CpuGemm(threads, CpuGemm.Provider.OPENBLAS_JNI)) {
            for (Case c : cases()) {
                ArrayAssertions.assertExact("OpenBLAS bindings " + c, c.run(copying), c.run(inPlace));
            }
        }
    }

    /** On Java 22+ with native access (the build's test JVM has it), OPENBLAS runs in place; else it says why not. */
    @Test
    void openBlasRunsInPlaceWhereTheRuntimeAllowsIt() {
        try (CpuThreads threads = new CpuThreads(1); CpuGemm gemm = new CpuGemm(threads, CpuGemm.Provider.OPENBLAS)) {
            String reason = gemm.providerReason();
            if (Runtime.version().feature() >= 22) {
                assertTrue(reason.endsWith("called in place on Java arrays through the Foreign Function API"), reason);
            } else {
                assertTrue(reason.contains("copied through native memory (the in-place call needs Java 22)"), reason);
            }
        }
        try (CpuThreads threads = new CpuThreads(1); CpuGemm gemm = new CpuGemm(threads, CpuGemm.Provider.OPENBLAS_JNI)) {
            assertEquals("OPENBLAS_JNI", gemm.provider());
            assertTrue(gemm.providerReason().endsWith("called through JNI, operands copied through native memory"),
                    gemm.providerReason());
        }
    }

    @Test
    void operandsOutsideTheirArraysAreRefused() {
        try (CpuThreads threads = new CpuThreads(1); CpuGemm gemm = new CpuGemm(threads, CpuGemm.Provider.JAVA)) {
            float[] x = new float[12];
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> gemm.sgemm(false, false, 3, 4, 4, 1f, x, 0, 4, x, 0, 4, 0f, x, 1, 4));
            assertTrue(e.getMessage().contains("b (4 x 4, ld 4, offset 0) does not fit its array of 12"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> gemm.sgemm(false, false, 2, 2, 3, 1f, x, 0, 2, x, 0, 2, 0f, x, 0, 2));
            assertTrue(e.getMessage().contains("lda = 2 is less than the 3 columns of a"), e.getMessage());
        }
    }
}
