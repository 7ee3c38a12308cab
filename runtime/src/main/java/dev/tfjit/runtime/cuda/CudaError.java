package dev.tfjit.runtime.cuda;

import dev.tfjit.ir.TfException;

/**
 * A CUDA driver call that failed, with the driver's own name and description of the error
 * ({@code CUDA_ERROR_OUT_OF_MEMORY: out of memory}) and the call that returned it; or, with
 * {@link #NO_DRIVER}, a machine without the driver library.
 */
public final class CudaError extends TfException {
    /** The code of "no driver library could be loaded" (not a CUresult). */
    public static final int NO_DRIVER = -1;
    /** CUDA_ERROR_OUT_OF_MEMORY: the memory pool frees what it caches and tries once more. */
    public static final int OUT_OF_MEMORY = 2;

    private final int code;

    public CudaError(int code, String message) {
        super(message);
        this.code = code;
    }

    /** The CUresult, or {@link #NO_DRIVER}. */
    public int code() { return code; }
}
