package dev.tfjit.runtime.cuda;

import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.TensorType;
import dev.tfjit.runtime.Device;
import dev.tfjit.runtime.DeviceValue;

import java.lang.ref.Cleaner;

/**
 * A tensor's value in a GPU's memory: a pooled {@link DeviceBuffer} and its type. Closing
 * returns the buffer to the device's pool at once; an unclosed value returns it when it becomes
 * unreachable (tensors are immutable values that a program drops rather than closes).
 */
public final class CudaValue implements DeviceValue {
    private static final Cleaner CLEANER = Cleaner.create();

    private final CudaDevice device;
    private final DeviceBuffer buffer;
    private final TensorType type;
    private final Cleaner.Cleanable cleanable;

    /** Takes ownership of {@code buffer}, which must hold at least {@code type}'s bytes. */
    public CudaValue(CudaDevice device, DeviceBuffer buffer, TensorType type) {
        long need = type.shape().numElements() * type.dtype().byteSize();
        if (buffer.bytes() < need) throw new IllegalArgumentException("a device buffer of " + buffer.bytes() + " bytes cannot hold " + type);
        this.device = device;
        this.buffer = buffer;
        this.type = type;
        this.cleanable = CLEANER.register(this, buffer::close); // the action holds the buffer, not this value
    }

    /** A device copy of a host buffer. */
    public static CudaValue upload(CudaDevice device, Buffer host) { return new CudaValue(device, device.upload(host), host.type()); }

    @Override
    public Device device() { return new Device(Device.Kind.GPU, device.ordinal()); }

    public CudaDevice cudaDevice() { return device; }

    /** The device memory; valid until this value is closed. */
    public DeviceBuffer buffer() { return buffer; }

    @Override
    public TensorType type() { return type; }

    @Override
    public Buffer toHost() { return device.download(buffer, type); }

    @Override
    public void close() { cleanable.clean(); }

    @Override
    public String toString() { return "CudaValue(" + type + " on gpu:" + device.ordinal() + ")"; }
}
