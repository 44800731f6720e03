package org.mixq.kernels;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jcuda.driver.CUresult;

/**
 * What the CUDA backend says when something fails: result-code checks for the driver API, the
 * one-line reasons given when a native library cannot load, and the figures its messages show
 * (driver version, bytes). JCuda's exceptions stay disabled (its default): every call's code is
 * checked here, so a failure names the call that failed.
 */
final class CudaDiagnostics {
    private static final Pattern MISSING_LIBRARY =
            Pattern.compile("([\\w.+-]+\\.so(?:\\.\\d+)*): cannot open shared object file");
    private static final Pattern MISSING_VERSION =
            Pattern.compile("version `([^']+)' not found");

    private CudaDiagnostics() {
    }

    /** Throws {@link CudaCallException} naming {@code call} unless {@code result} is CUDA_SUCCESS. */
    static void check(int result, String call) {
        if (result != CUresult.CUDA_SUCCESS) {
            throw new CudaCallException(call, result, CUresult.stringFor(result));
        }
    }

    /**
     * One line saying why a native library did not load. JCuda's UnsatisfiedLinkError spans many
     * lines (both load attempts with stack traces); the useful part is the system library that
     * the JCuda native needs and the loader could not find, e.g. "libcuda.so.1 not found".
     * A later touch of the same class throws NoClassDefFoundError whose cause chain carries the
     * first error's text, so the same reason comes out.
     */
    static String nativeReason(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c).append('\n');
        }
        String text = all.toString();
        Matcher m = MISSING_LIBRARY.matcher(text);
        if (m.find()) {
            return m.group(1) + " not found";
        }
        Matcher v = MISSING_VERSION.matcher(text);
        if (v.find()) {
            return "symbol version " + v.group(1) + " not found";
        }
        String first = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = first.indexOf('\n');
        return t.getClass().getSimpleName() + ": " + (nl < 0 ? first : first.substring(0, nl)).trim();
    }

    /** Driver version as "major.minor" from cuDriverGetVersion's 1000 * major + 10 * minor. */
    static String version(int encoded) {
        return (encoded / 1000) + "." + (encoded % 1000) / 10;
    }

    /** Bytes as a short human-readable figure ("1.50 GiB"). */
    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return String.format(java.util.Locale.ROOT, "%.2f %s", v, units[u]);
    }
}
