package dev.tfjit.tracer;

import dev.tfjit.ir.Attrs;
import dev.tfjit.ir.Buffer;
import dev.tfjit.ir.Graph;
import dev.tfjit.ir.GraphBuilder;
import dev.tfjit.ir.IrPrinter;
import dev.tfjit.ir.OpDef;
import dev.tfjit.ir.SourceLocation;
import dev.tfjit.ir.TensorType;
import dev.tfjit.ir.TfException;
import dev.tfjit.ir.Value;
import dev.tfjit.runtime.Backends;
import dev.tfjit.runtime.Device;
import dev.tfjit.runtime.DeviceBackend;
import dev.tfjit.runtime.DeviceExecutable;
import dev.tfjit.runtime.DeviceValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where eager ops and function calls run when a device other than the CPU is involved, and the
 * copies between host and device memory. The rules, after TensorFlow's with copies made
 * explicit:
 * <ul>
 * <li>Inside a {@code Tf.device("gpu:0")} scope, ops and functions run on the GPU; host
 * tensors passed to them are copied there for the call (a function boundary), results stay.
 * <li>Outside any scope, an op whose inputs are on a GPU runs there; a host input mixed with
 * device inputs is an error asking for an explicit {@link Tensor#to} or {@link Tensor#cpu}.
 * <li>A {@code Function} made with a device backend ({@code withBackend("ptx-gpu")}) runs there.
 * <li>Reading a device tensor's values copies them to the host once.
 * </ul>
 * An eager op on a device runs as a one-op graph compiled by the device's backend, cached by the
 * graph's text, so an op that backend cannot compile is an error naming it, never a silent run
 * on the CPU.
 */
final class DevicePlacement {
    /** Whether each backend named by a Function is a device's. */
    private static final Map<String, Boolean> DEVICE_BACKEND = new ConcurrentHashMap<>();
    /** One-op executables by backend and graph text. */
    private static final Map<String, DeviceExecutable> EAGER = new ConcurrentHashMap<>();

    private DevicePlacement() {}

    /**
     * The device an eager op on {@code inputs} runs on when it is not the host's, else null
     * (the common case: no scope, host inputs).
     */
    static Device deviceFor(OpDef op, List<Tensor> inputs) {
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).isReleased()) throw inputs.get(i).releasedError().in(op.name(), SourceLocation.ofCaller());
        }
        Device scope = DeviceScope.current();
        if (scope == null) {
            Device found = null;
            int at = -1;
            for (int i = 0; i < inputs.size(); i++) {
                DeviceValue v = inputs.get(i).deviceValue();
                if (v == null) continue;
                if (found != null && !found.equals(v.device())) throw mixed(op, at, found, i, v.device());
                found = v.device();
                at = i;
            }
            if (found == null) return null;
            for (int i = 0; i < inputs.size(); i++) {
                if (inputs.get(i).deviceValue() == null) throw mixed(op, at, found, i, Device.CPU);
            }
            return found;
        }
        if (scope.kind() != Device.Kind.CPU) return scope;
        for (int i = 0; i < inputs.size(); i++) {
            DeviceValue v = inputs.get(i).deviceValue();
            if (v != null) {
                throw new TfException("input " + i + " is on " + v.device() + " and the op runs on " + Device.CPU
                        + " (a Tf.device scope): copy it with .cpu() first").in(op.name(), SourceLocation.ofCaller());
            }
        }
        return null;
    }

    private static TfException mixed(OpDef op, int i, Device a, int j, Device b) {
        return new TfException("input " + i + " is on " + a + " and input " + j + " on " + b + "; copy one explicitly with "
                + ".to(...) or .cpu(), or run the op in a Tf.device(...) scope").in(op.name(), SourceLocation.ofCaller());
    }

    /** Runs {@code op} on {@code device} as a one-op graph; the results stay on the device. */
    static List<Tensor> execute(OpDef op, Attrs attrs, List<Tensor> inputs, Device device) {
        SourceLocation loc = SourceLocation.ofCaller();
        List<TensorType> types = inputs.stream().map(Tensor::type).toList();
        DeviceBackend backend;
        try {
            op.inferTypes(types, attrs); // the errors eager mode on the host gives, first
            backend = Backends.forDevice(device);
        } catch (TfException e) {
            throw e.in(op.name(), loc);
        }
        GraphBuilder b = new GraphBuilder(op.name());
        List<Value> params = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) params.add(b.param(types.get(i), "x" + i));
        Graph g = b.build(b.add(op, params, attrs, List.of(), SourceLocation.UNKNOWN));
        DeviceExecutable exe;
        try {
            exe = EAGER.computeIfAbsent(backend.name() + "\n" + IrPrinter.print(g), k -> backend.compile(g));
        } catch (dev.tfjit.ir.UnimplementedError e) { // no silent run on the CPU: say how to get one
            TfException located = e.getMessage().startsWith(op.name() + ": ") ? e : e.in(op.name(), loc);
            throw new dev.tfjit.ir.UnimplementedError(located.getMessage() + "; it was placed on " + device
                    + ": run it outside the Tf.device scope, on tensors copied with .cpu()");
        }
        List<Tensor> out = new ArrayList<>();
        for (DeviceValue v : run(exe, backend, inputs, List.of())) out.add(new Tensor(v));
        return out;
    }

    /**
     * The device backend a call of a function should run on, or null for the host: its own
     * backend when that is a device's, else the scope's device, else the device its arguments
     * are on.
     */
    static DeviceBackend forFunction(String backendName, List<Tensor> args) {
        if (backendName != null) {
            // Every call comes here: a host backend (llvm-cpu for withJitCompile) is answered from a map.
            if (!DEVICE_BACKEND.computeIfAbsent(backendName, n -> Backends.all().stream().anyMatch(b -> b.name().equals(n)
                    && b instanceof DeviceBackend))) {
                return null;
            }
            return (DeviceBackend) Backends.named(backendName); // available now? (else the error says why not)
        }
        Device scope = DeviceScope.current();
        if (scope != null) return scope.kind() == Device.Kind.CPU ? null : Backends.forDevice(scope);
        Device found = null;
        for (Tensor t : args) {
            DeviceValue v = t.deviceValue();
            if (v == null) continue;
            if (found != null && !found.equals(v.device())) {
                throw new TfException("the arguments are on " + found + " and " + v.device() + "; copy them to one device with .to(...)");
            }
            found = v.device();
        }
        return found == null ? null : Backends.forDevice(found);
    }

    /**
     * Runs {@code exe} on {@code args} (tensors already on the backend's device are used as
     * they are, host tensors are copied there for this call) followed by the values of
     * {@code variables} (captured variables: their device copies, uploaded only when the host
     * value changed since the last upload); the copies are freed when the call returns.
     */
    static List<DeviceValue> run(DeviceExecutable exe, DeviceBackend backend, List<Tensor> args, List<Variable> variables) {
        List<DeviceValue> in = new ArrayList<>(args.size() + variables.size());
        List<DeviceValue> copies = new ArrayList<>();
        List<DeviceHandle> inUse = new ArrayList<>();
        try {
            for (int i = 0; i < args.size(); i++) {
                Tensor t = args.get(i);
                DeviceHandle h = t.deviceHandle();
                DeviceValue v;
                if (h == null) {
                    copies.add(v = backend.upload(t.buffer()));
                } else {
                    if (!h.peek().device().equals(backend.device())) {
                        throw new TfException("argument " + i + " is on " + h.peek().device() + ", the call runs on " + backend.device()
                                + ": copy it with .to(...) first");
                    }
                    v = h.beginUse();
                    if (v == null) throw t.releasedError();
                    inUse.add(h);
                }
                in.add(v);
            }
            for (Variable var : variables) {
                DeviceHandle h = var.beginDeviceUse(backend);
                inUse.add(h);
                in.add(h.peek());
            }
            return exe.runOnDevice(in);
        } finally {
            copies.forEach(DeviceValue::close);
            inUse.forEach(DeviceHandle::endUse);
        }
    }

    /** {@code t} on {@code device}: itself when it is there, else a copy (through the host between two devices). */
    static Tensor copy(Tensor t, Device device) {
        if (t.isSymbolic()) return t; // a traced function runs on one device, where it is called
        if (t.isReleased()) throw t.releasedError();
        if (t.device().equals(device)) return t;
        if (device.kind() == Device.Kind.CPU) return new Tensor(t.buffer()); // the host copy, read once
        return new Tensor(Backends.forDevice(device).upload(t.buffer()));
    }
}
