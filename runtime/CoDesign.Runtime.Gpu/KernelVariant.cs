namespace CoDesign.Runtime.Gpu;

/// <summary>
/// Which form of the GEMV and attention kernels the ILGPU backend launches.
/// Cooperative: warps (GEMV: one warp per output row; attention: one group per query row and head, a warp per
/// context position, group reductions for the softmax) — coalesced loads and enough threads for a GPU.
/// PerThread: one thread per output element (GEMV) or per query row and head (attention) — what ILGPU's CPU
/// accelerator runs well, since it emulates warp shuffles and group barriers with OS-thread barriers (~1000x slower).
/// Auto: Cooperative on CUDA, PerThread elsewhere. Tests choose Cooperative explicitly to check the CUDA
/// kernels' arithmetic on the CPU accelerator.
/// </summary>
public enum KernelVariant { Auto, Cooperative, PerThread }
