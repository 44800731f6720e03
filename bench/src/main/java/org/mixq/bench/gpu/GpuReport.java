package org.mixq.bench.gpu;

import java.util.Arrays;
import java.util.Locale;

/**
 * Result lines of the GPU benchmarks, one per measurement, in a form bench/gpu/check.sh collects
 * into its results table: {@code RESULT|name|median ms|rate|unit|note}. Every figure comes with
 * its reference (a plain copy of the same bytes, a vendor GEMM) measured in the same run.
 */
final class GpuReport {
    private GpuReport() {
    }

    /** Median of the timings, in ms. */
    static double median(float[] ms) {
        float[] s = ms.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    /** A bandwidth line: {@code bytes} moved per run, in GB/s (10^9 bytes per second). */
    static void bandwidth(String name, float[] ms, double bytes, String note) {
        double med = median(ms);
        System.out.println(String.format(Locale.ROOT, "RESULT|%s|%.3f|%.1f|GB/s|%s", name, med, bytes / (med * 1e-3) / 1e9, note));
    }

    /** A throughput line: {@code items} (images, steps) per run, per second. */
    static void throughput(String name, float[] ms, double items, String unit, String note) {
        double med = median(ms);
        System.out.println(String.format(Locale.ROOT, "RESULT|%s|%.3f|%.1f|%s|%s", name, med, items / (med * 1e-3), unit, note));
    }

    /** A compute line: {@code flops} per run, in TFLOP/s. */
    static void compute(String name, float[] ms, double flops, String note) {
        double med = median(ms);
        System.out.println(String.format(Locale.ROOT, "RESULT|%s|%.3f|%.2f|TFLOP/s|%s", name, med, flops / (med * 1e-3) / 1e12, note));
    }
}
