package dev.tfjit.codegen.ptx;

import dev.tfjit.ir.UnimplementedError;
import dev.tfjit.runtime.Backend;
import dev.tfjit.runtime.Backends;
import dev.tfjit.runtime.Device;
import dev.tfjit.runtime.cuda.CudaDriver;
import dev.tfjit.runtime.cuda.CudaError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The ptx-gpu backend plugs in through the Backend SPI and says clearly why it cannot run. */
class PtxBackendTest {
    @Test
    void isFoundThroughTheServiceLoaderAsAGpuBackend() {
        Backend b = Backends.all().stream().filter(x -> x.name().equals("ptx-gpu")).findFirst().orElseThrow();
        assertEquals(Device.Kind.GPU, b.device().kind());
        assertTrue(b.priority() < 0, "never chosen unless asked for");
    }

    @Test
    void unsupportedOpsAreReportedBeforeLookingForAGpu() {
        UnimplementedError e = assertThrows(UnimplementedError.class, () -> new PtxBackend().compile(Programs.parse("""
                func @f(%x: f32[4]) -> f32[4] {
                  %0 = sin %x : f32[4] loc(Model.java:7)
                  return %0
                }
                """)));
        assertTrue(e.getMessage().startsWith("sin: ") && e.getMessage().contains("Model.java:7"), e.getMessage());
    }

    @Test
    void withoutADriverTheErrorNamesTheLibraryLookedFor() {
        assumeFalse(CudaDriver.isAvailable(), "this machine has a CUDA driver");
        assertFalse(new PtxBackend().isAvailable());
        CudaError e = assertThrows(CudaError.class, () -> new PtxBackend().compile(Programs.parse("""
                func @f(%x: f32[4]) -> f32[4] {
                  %0 = exp %x : f32[4]
                  return %0
                }
                """)));
        assertTrue(e.getMessage().contains("libcuda.so.1"), e.getMessage());
        UnimplementedError named = assertThrows(UnimplementedError.class, () -> Backends.named("ptx-gpu"));
        assertTrue(named.getMessage().contains("not available"), named.getMessage());
    }
}
