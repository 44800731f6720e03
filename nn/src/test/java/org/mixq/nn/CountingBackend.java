package org.mixq.nn;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.mixq.core.Backend;

/**
 * A backend that hands every call to another one and counts the tensors allocated through it.
 * It is a dynamic proxy of {@link Backend}, so it follows the op contract without listing it.
 * Tensors belong to the inner backend, which checks them as usual.
 */
public final class CountingBackend {
    private final Backend backend;
    private long allocations;

    public CountingBackend(Backend inner) {
        this.backend = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("alloc")) {
                        allocations++;
                    }
                    try {
                        return method.invoke(inner, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** The counting backend; closing it closes the inner one. */
    public Backend backend() {
        return backend;
    }

    public long allocations() {
        return allocations;
    }
}
