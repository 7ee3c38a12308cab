package dev.tfjit.runtime.cuda;

import org.junit.jupiter.api.Test;

import java.lang.foreign.FunctionDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The driver bindings match the CUDA API (checked against cuda.h, so a wrong symbol or arity is
 * found without a GPU), and a machine without a driver gets an error naming the library.
 */
class CudaDriverTest {
    private static final Path CUDA_H = Path.of(System.getProperty("tfjit.cuda.header", "/usr/local/cuda/include/cuda.h"));

    @Test
    void everyBoundSymbolIsDeclaredInCudaHWithTheSameNumberOfParameters() throws Exception {
        assumeTrue(Files.isReadable(CUDA_H), "no cuda.h at " + CUDA_H + " (the CUDA toolkit is not installed)");
        String h = Files.readString(CUDA_H).replaceAll("\\s+", " ");
        for (Map.Entry<String, FunctionDescriptor> e : CudaDriver.SYMBOLS.entrySet()) {
            String symbol = e.getKey();
            String base = symbol.replaceFirst("_v\\d+$", "");
            if (!symbol.equals(base)) {
                // cuda.h maps the plain name to the versioned symbol the driver exports.
                Matcher m = Pattern.compile("#define " + base + " (?:__CUDA_API_PT[DS][SZ]\\()?" + symbol + "\\b").matcher(h);
                assertTrue(m.find(), "cuda.h does not map " + base + " to " + symbol);
            }
            Matcher decl = Pattern.compile("CUresult CUDAAPI (?:" + base + "|" + symbol + ")\\(([^)]*)\\)").matcher(h);
            assertTrue(decl.find(), "cuda.h does not declare " + symbol);
            String params = decl.group(1).trim();
            int arity = params.equals("void") || params.isEmpty() ? 0 : params.split(",").length;
            assertEquals(arity, e.getValue().argumentLayouts().size(), "parameters of " + symbol + ": (" + params + ")");
        }
    }

    @Test
    void withoutADriverTheErrorNamesTheLibrary() {
        assumeFalse(CudaDriver.isAvailable(), "this machine has a CUDA driver");
        CudaError e = assertThrows(CudaError.class, CudaDriver::get);
        assertEquals(CudaError.NO_DRIVER, e.code());
        assertTrue(e.getMessage().contains(CudaDriver.LIBRARY), e.getMessage());
        CudaError device = assertThrows(CudaError.class, () -> CudaDevice.get(0));
        assertTrue(device.getMessage().contains(CudaDriver.LIBRARY), device.getMessage());
        assertFalse(CudaDevice.isAvailable(0));
    }

    @Test
    void poolSizeClassesRoundUpWithBoundedWaste() {
        assertEquals(256, DeviceMemoryPool.sizeClass(1));
        assertEquals(256, DeviceMemoryPool.sizeClass(256));
        assertEquals(512, DeviceMemoryPool.sizeClass(257));
        assertEquals(1L << 20, DeviceMemoryPool.sizeClass((1L << 20) - 5));
        assertEquals(4L << 20, DeviceMemoryPool.sizeClass((2L << 20) + 1));
        assertEquals(256L << 20, DeviceMemoryPool.sizeClass(256L << 20));
    }
}
