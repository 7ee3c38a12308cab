package dev.tfjit.codegen.llvm;

import dev.tfjit.ir.InvalidArgumentError;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What {@code tfjit compile --target} names: the host CPU (its exact model and features: fastest
 * here, may not run elsewhere), a portable x86-64 micro-architecture level, or a GPU
 * ({@code sm_80}, {@code sm_90}), which another backend compiles (see {@link GpuAotCompiler}).
 *
 * @param cpu the LLVM CPU name the code is generated for (empty for a GPU)
 * @param features the LLVM feature string ({@code +avx2,-avx512f,...}; empty: the CPU's own)
 * @param requiredCpuFeatures the instruction set extensions the library checks for before any
 *        entry runs, named as GCC's {@code __builtin_cpu_supports} names them
 */
public record AotTarget(String name, boolean gpu, String cpu, String features, List<String> requiredCpuFeatures) {
    public AotTarget {
        requiredCpuFeatures = List.copyOf(requiredCpuFeatures);
    }

    /** The targets {@code --target} accepts, for help texts and errors. */
    public static final String CHOICES = "host, x86-64, x86-64-v2, x86-64-v3, x86-64-v4, sm_80, sm_90 (or another sm_NN)";

    private static final List<String> V2 = List.of("popcnt", "sse3", "ssse3", "sse4.1", "sse4.2");
    private static final List<String> V3 = List.of("avx", "avx2", "bmi", "bmi2", "f16c", "fma", "lzcnt", "movbe");
    private static final List<String> V4 = List.of("avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl");

    /**
     * The x86 extensions LLVM may use for tfjit's code that the C compiler can test for. Host
     * features outside this list (cx16, xsave, prefetch hints...) are not instructions the
     * generated loops and math use.
     */
    private static final Set<String> CHECKABLE = Set.of("popcnt", "sse3", "ssse3", "sse4.1", "sse4.2", "avx", "avx2", "bmi",
            "bmi2", "f16c", "fma", "lzcnt", "movbe", "aes", "pclmul", "gfni", "vaes", "vpclmulqdq", "avxvnni", "avx512f",
            "avx512bw", "avx512cd", "avx512dq", "avx512vl", "avx512ifma", "avx512vbmi", "avx512vbmi2", "avx512vnni",
            "avx512bitalg", "avx512vpopcntdq", "avx512bf16", "avx512fp16");

    /** Parses a {@code --target} value; an unknown one is an error listing the choices. */
    public static AotTarget parse(String name) {
        if (name.matches("sm_[0-9]{2,3}a?")) return new AotTarget(name, true, "", "", List.of());
        boolean x86 = isX86Host();
        switch (name) {
            case "host" -> {
                NativeJit jit = NativeJit.get();
                return new AotTarget(name, false, jit.cpu(), jit.features(), x86 ? hostRequirements(jit.features()) : List.of());
            }
            case "x86-64", "x86-64-v2", "x86-64-v3", "x86-64-v4" -> {
                if (!x86) {
                    throw new InvalidArgumentError("--target " + name + " is an x86-64 level, this machine is "
                            + System.getProperty("os.arch") + ": cross-compiling is not supported");
                }
                List<String> req = new ArrayList<>();
                if (!name.equals("x86-64")) req.addAll(V2);
                if (name.equals("x86-64-v3") || name.equals("x86-64-v4")) req.addAll(V3);
                if (name.equals("x86-64-v4")) req.addAll(V4);
                return new AotTarget(name, false, name, "", req);
            }
            default -> throw new InvalidArgumentError("unknown --target '" + name + "'; choose one of " + CHOICES);
        }
    }

    /** The host's enabled features ({@code +name}) that the library can check for. */
    static List<String> hostRequirements(String features) {
        List<String> out = new ArrayList<>();
        for (String f : features.split(",")) {
            if (f.startsWith("+") && CHECKABLE.contains(f.substring(1))) out.add(f.substring(1));
        }
        return out;
    }

    private static boolean isX86Host() {
        String arch = System.getProperty("os.arch");
        return arch.equals("amd64") || arch.equals("x86_64");
    }
}
