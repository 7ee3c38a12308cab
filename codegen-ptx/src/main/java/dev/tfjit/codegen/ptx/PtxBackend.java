package dev.tfjit.codegen.ptx;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.ops.JavaCallOps;
import dev.tfjit.runtime.Device;
import dev.tfjit.runtime.DeviceBackend;
import dev.tfjit.runtime.DeviceExecutable;
import dev.tfjit.runtime.DeviceValue;
import dev.tfjit.runtime.cuda.CudaDevice;
import dev.tfjit.runtime.cuda.CudaError;
import dev.tfjit.runtime.cuda.CudaValue;

/**
 * The GPU backend ({@code ptx-gpu}): each graph becomes PTX kernels per concrete signature,
 * compiled for the first GPU's SM and run through the CUDA driver. Chosen explicitly
 * ({@code Function.withBackend("ptx-gpu")}, {@code -Dtfjit.backend=ptx-gpu}, or a
 * {@code Tf.device("gpu:0")} scope); without a GPU it is not available, and compiling for it
 * says which driver library was looked for.
 */
public final class PtxBackend implements DeviceBackend {
    public static final String NAME = "ptx-gpu";
    private static final Device GPU0 = new Device(Device.Kind.GPU, 0);

    @Override public String name() { return NAME; }

    @Override public Device device() { return GPU0; }

    /** Below the interpreter and llvm-cpu: a program runs on the GPU only when asked to. */
    @Override public int priority() { return -20; }

    /** Whether a CUDA driver and GPU 0 are present (checked once by the driver loader). */
    @Override
    public boolean isAvailable() { return CudaDevice.isAvailable(0); }

    @Override
    public String unavailableReason() {
        try {
            CudaDevice.get(0);
            return "gpu:0 is available";
        } catch (CudaError e) {
            return e.getMessage();
        }
    }

    @Override
    public DeviceValue upload(Buffer host) { return CudaValue.upload(CudaDevice.get(0), host); }

    @Override
    public dev.tfjit.runtime.DeviceMemoryInfo memoryInfo() { return CudaDevice.get(0).pool().info(); }

    /** Checks every op first (an unsupported one is an error naming it, GPU or not), then opens GPU 0. */
    @Override
    public DeviceExecutable compile(Graph g) {
        JavaCallOps.requireNoJavaCallbacks(g, "the ptx-gpu backend");
        GpuLowerability.check(g);
        return new PtxExecutable(g, CudaDevice.get(0));
    }
}
