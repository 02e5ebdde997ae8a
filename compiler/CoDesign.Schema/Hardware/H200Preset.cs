using CoDesign.Schema.V1;

namespace CoDesign.Schema.Hardware;

/// <summary>
/// NVIDIA H200 SXM. [D] NVIDIA H200 Tensor Core GPU data sheet (nvidia.com/en-us/data-center/h200, 2024): 141 GB
/// HBM3e at 4.8 TB/s; the same Hopper die as the H100 SXM, so the same tensor-core peaks (FP16/BF16 989.5 TFLOPS
/// dense, FP8 and INT8 1,979 dense) and clock. The DRAM path and compute energies are the H100's [C] (not published
/// for the H200; HBM3e's per-bit energy is our assumption to be the same). No DRAM geometry is given: the preset
/// has no PIM, and the capacity is stated directly.
/// </summary>
public static class H200Preset
{
    const double CapacityBytes = 141e9;              // [D] "141GB" (decimal gigabytes, as NVIDIA states memory sizes)
    const double BandwidthBytesPerSecond = 4.8e12;   // [D] "4.8TB/s"

    public static V1.Hardware Create()
    {
        var hw = HardwarePresets.H100();
        hw.Name = "h200";
        hw.Description = "NVIDIA H200 SXM 141 GB HBM3e, 4.8 TB/s (H100 compute)";
        var gpu = hw.Processors.Single();
        gpu.MemoryBandwidthBytesPerS = BandwidthBytesPerSecond;
        gpu.Source = "[D] NVIDIA H200 data sheet: 4.8 TB/s, Hopper tensor-core peaks as the H100 SXM; [C] H100 energies (assumed equal)";
        hw.Memory = new Memory
        {
            CapacityBytes = (ulong)CapacityBytes,
            Source = "[D] NVIDIA H200 data sheet: 141 GB HBM3e; geometry not modelled (no PIM)",
        };
        return hw;
    }
}
