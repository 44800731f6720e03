package org.mixq.core.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.mixq.core.Backend;
import org.mixq.core.Tensor;

/**
 * Base of the per-op-family contract tests. A subclass per backend supplies {@link #createBackend()};
 * the CUDA subclasses (tagged "gpu") compare against the CPU backend with the same tests.
 * One backend per test class, closed after the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendContract {
    protected Backend backend;

    /** The backend under test; called once per test class. */
    protected abstract Backend createBackend();

    @BeforeAll
    void openBackend() {
        backend = createBackend();
    }

    @AfterAll
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    /** A tensor of the backend under test holding {@code data}. */
    protected Tensor tensor(float[] data, int... dims) {
        Tensor t = backend.alloc(dims);
        backend.copyIn(t, data);
        return t;
    }

    /**
     * A tensor filled with NaN, so that a test proves every element of an overwritten output
     * is written.
     */
    protected Tensor poisoned(int... dims) {
        Tensor t = backend.alloc(dims);
        backend.fill(t, Float.NaN);
        return t;
    }

    protected float[] read(Tensor t) {
        backend.synchronize();
        return t.toArray();
    }
}
