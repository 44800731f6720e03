package org.mixq.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one-line reasons made from JCuda's native loading errors, and the number formats. */
class CudaDiagnosticsTest {
    /** The shape of JCuda's message when its native library cannot be loaded. */
    private static final String JCUDA_MESSAGE = "Error while loading native library \"JCudaDriver-12.6.0-linux-x86_64\"\n"
            + "Operating system name: Linux\n"
            + "Stack trace from the attempt to load the library as a resource:\n"
            + "java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: "
            + "cannot open shared object file: No such file or directory\n";

    @Test
    void missingSystemLibraryIsNamed() {
        assertEquals("libcuda.so.1 not found", CudaDiagnostics.nativeReason(new UnsatisfiedLinkError(JCUDA_MESSAGE)));
    }

    @Test
    void laterNoClassDefFoundErrorGivesTheSameReason() {
        Throwable first = new ExceptionInInitializerError("Exception " + new UnsatisfiedLinkError(JCUDA_MESSAGE));
        NoClassDefFoundError later = new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver");
        later.initCause(first);
        assertEquals("libcuda.so.1 not found", CudaDiagnostics.nativeReason(later));
    }

    @Test
    void versionedSymbolMismatchIsNamed() {
        UnsatisfiedLinkError e = new UnsatisfiedLinkError("/tmp/libJCublas2.so: /x/libcublas.so.12: version `libcublas.so.12' not found");
        assertEquals("symbol version libcublas.so.12 not found", CudaDiagnostics.nativeReason(e));
    }

    @Test
    void otherErrorsKeepTheirFirstLine() {
        assertEquals("UnsatisfiedLinkError: something else",
                CudaDiagnostics.nativeReason(new UnsatisfiedLinkError("something else\nmore")));
    }

    @Test
    void driverVersionAndBytes() {
        assertEquals("13.0", CudaDiagnostics.version(13000));
        assertEquals("12.6", CudaDiagnostics.version(12060));
        assertEquals("512 B", CudaDiagnostics.bytes(512));
        assertEquals("1.50 GiB", CudaDiagnostics.bytes(3L << 29));
    }
}
