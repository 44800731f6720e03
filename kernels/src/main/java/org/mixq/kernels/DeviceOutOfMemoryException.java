package org.mixq.kernels;

import org.mixq.core.OutOfBackendMemoryException;

/**
 * The device has not enough free memory for an allocation, even after the allocator returned
 * its cached blocks to the driver. The message says how much was asked and how much is free.
 */
public class DeviceOutOfMemoryException extends OutOfBackendMemoryException {
    private static final long serialVersionUID = 1L;

    public DeviceOutOfMemoryException(String message) {
        super(message);
    }
}
