package org.mixq.core.cpu;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * OpenBLAS's {@code cblas_sgemm} called through the Foreign Function API (Java 22) on the Java
 * arrays themselves: no staging copy in, none out, for any leading dimension.
 *
 * <p>The downcall is linked {@linkplain Linker.Option#critical(boolean) critical with heap
 * access}: the JVM hands OpenBLAS the address of the array's elements and holds off garbage
 * collection until the call returns, which is how a heap array can be read and written in
 * place. The price is that a safepoint waits for the product under way; the products here are
 * one lane's block of a layer, milliseconds at most. {@link OpenBlasLane} (JNI through JavaCPP,
 * copying through native memory) remains for Java 17 to 21 and for JVMs without native access.
 *
 * <p>The library is the one JavaCPP extracted and loaded ({@link OpenBlasLane#load}), found
 * through this class loader's symbol table; so both bindings run the same OpenBLAS build, and
 * give bit-identical products. This class is compiled for Java 22 and loaded only there, by
 * reflection from {@link CpuGemm}.
 */
final class OpenBlasFfmLane extends GemmLane {
    private static final int ROW_MAJOR = 101;
    private static final int NO_TRANS = 111;
    private static final int TRANS = 112;

    /**
     * {@code cblas_sgemm}, linked once when this class is initialized: {@link CpuGemm} loads it
     * only after {@link OpenBlasLane#load} has loaded the natives. Where this class loader has not
     * loaded OpenBLAS, initialization fails with an {@link UnsatisfiedLinkError}.
     */
    private static final MethodHandle SGEMM = link();

    private static MethodHandle link() {
        MemorySegment symbol = SymbolLookup.loaderLookup().find("cblas_sgemm")
                .orElseThrow(() -> new UnsatisfiedLinkError("cblas_sgemm is not in a library this class loader loaded"));
        ValueLayout.OfInt i = ValueLayout.JAVA_INT;
        ValueLayout.OfFloat f = ValueLayout.JAVA_FLOAT;
        ValueLayout p = ValueLayout.ADDRESS;
        // cblas_sgemm(order, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc): the
        // CBLAS enums are C ints and this OpenBLAS build uses 32-bit integers (not ILP64)
        FunctionDescriptor signature = FunctionDescriptor.ofVoid(i, i, i, i, i, i, f, p, i, p, i, f, p, i);
        return Linker.nativeLinker().downcallHandle(symbol, signature, Linker.Option.critical(true));
    }

    @Override
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        try {
            SGEMM.invokeExact(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
                    elements(a, aOff), lda, elements(b, bOff), ldb, beta, elements(c, cOff), ldc);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cblas_sgemm through the Foreign Function API failed", e);
        }
    }

    /** The elements of {@code x} from {@code off}: the pointer a BLAS expects for an operand at an offset. */
    private static MemorySegment elements(float[] x, int off) {
        return MemorySegment.ofArray(x).asSlice((long) off * Float.BYTES);
    }
}
