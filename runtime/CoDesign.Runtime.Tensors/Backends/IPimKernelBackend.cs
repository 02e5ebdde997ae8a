using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Backends;

/// <summary>
/// A backend that executes the compiler's Logic-PIM kernels (Program.pim_kernels) rather than streams of its own.
/// The engine hands it the Program's kernels before the first stage; it may hold the kernels of several programs
/// and picks, per call, the kernel for that operator and shape.
/// </summary>
public interface IPimKernelBackend
{
    void UsePimKernels(PimKernels kernels);
}
