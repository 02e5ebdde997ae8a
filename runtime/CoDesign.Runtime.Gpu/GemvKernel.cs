namespace CoDesign.Runtime.Gpu;

/// <summary>
/// Which matrix-product kernel the ILGPU backend uses. Auto: warp-per-output on CUDA (coalesced weight reads),
/// thread-per-output on the CPU accelerator (where warp shuffles are emulated with thread barriers and are
/// ~1000x slower). Tests pick WarpPerOutput explicitly to check the CUDA kernel's arithmetic on the CPU accelerator.
/// </summary>
public enum GemvKernel { Auto, WarpPerOutput, ThreadPerOutput }
