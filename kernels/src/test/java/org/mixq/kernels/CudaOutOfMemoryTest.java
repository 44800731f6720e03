package org.mixq.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A request larger than the device: the allocator first gives its cached blocks back to the
 * driver and retries, then fails with one message that says how much was asked, how much is
 * free, and what to do.
 */
@Tag("gpu")
class CudaOutOfMemoryTest {

    @Test
    void aRequestLargerThanTheDeviceSaysWhatWasAskedWhatIsFreeAndWhatToDo() {
        CudaTesting.backend().close();
        try (CudaContext ctx = new CudaContext(0, false)) {
            long total = ctx.memoryInfo()[1];
            new CudaBuffer(ctx.allocator, 1 << 20).close();
            assertEquals(4L << 20, ctx.allocator.stats().bytesCached(), "a released block stays cached");
            long floats = total / Float.BYTES + (1L << 28);
            DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class,
                    () -> new CudaBuffer(ctx.allocator, floats));
            String message = e.getMessage();
            assertTrue(message.startsWith("CUDA out of memory: asked for "
                            + CudaDiagnostics.bytes(floats * Float.BYTES) + ", "),
                    message);
            assertTrue(message.contains(" free of " + CudaDiagnostics.bytes(total)), message);
            assertTrue(message.endsWith("; use a smaller batch size"), message);
            assertEquals(1, ctx.allocator.stats().driverFrees(), "the cached block goes back before the retry");
            assertEquals(0, ctx.allocator.stats().bytesCached());
        }
    }
}
