using System.Diagnostics.CodeAnalysis;
using CoDesign.Schema.V1;

namespace CoDesign.Schema.Hardware;

/// <summary>
/// Built-in devices. Tags: [T] stated in Yun et al., "Duplex", MICRO 2024 (arXiv 2409.01141);
/// [C] constants of the authors' simulator (scale-snu/LLMSimulator, 2025); [I] derived here;
/// [D] vendor data sheet; [M] measured here (the command and date are next to the value).
/// See docs/reference/duplex-spec.md §2.
/// </summary>
public static class HardwarePresets
{
    public static readonly string[] Names = ["h100", "h200", "duplex", "duplex-rtl", "bank-pim", "bankgroup-pim"];

    // --- shared constants -------------------------------------------------------------------------
    const double H100Fp16FlopsPerSecond = 989.4e12;      // [C] H100 SXM dense FP16/BF16 tensor core
    const double H100Fp8FlopsPerSecond = 1978.9e12;      // [D] NVIDIA H100 SXM data sheet, dense FP8
    const double H100Int8OpsPerSecond = 1978.9e12;       // [D] NVIDIA H100 SXM data sheet, dense INT8
    const double H100Fp32FlopsPerSecond = 66.9e12;       // [D] NVIDIA H100 SXM data sheet, FP32 (non-tensor)
    const double H100ClockHz = 1.98e9;                   // [D] H100 SXM max boost clock 1980 MHz
    const double HbmBandwidthBytesPerSecond = 3.352e12;  // [C] H100 SXM HBM3
    const double XpuPathJoulesPerBit = 3.48e-12;         // [C] cell .44 + col→BG mux 1.01 + BG→GIO 1.23 + TSV .5 + interposer .3
    const double LogicPimPathJoulesPerBit = 1.81e-12;    // [C] no interposer I/O, bank-bundle path
    const double BankGroupPimPathJoulesPerBit = 2.68e-12;// [C]
    const double BankPimPathJoulesPerBit = 0.73e-12;     // [C] cell + column decoder only
    const double ComputeJoulesPerFlop = 0.23e-12;        // [C] 0.46 pJ per FP16 MAC, every processor
    const double LogicPimBandwidthMultiple = 4;          // [T] 4x TSVs per channel (bank bundles)
    const double LogicPimOpPerByte = 8;                  // [T] peak Op/B of Logic-PIM
    const double LogicPimClockHz = 650e6;                // [T] matches HBM3 tCCD_S = 1.5 ns
    // [M] `codesign rtl calibrate --full` (published GEMM module, one bank bundle per stream as published, 96 shapes:
    // tokens 1-64, K and N 128-8192, decode attention context 128-8192, group 1-8), 2026-11-27: the RTL streams
    // at 0.7146 of the bank-bundle peak (row switches and refresh, docs/benchmarks-rtl.md); no fixed overhead
    // fits better. With this value every shape's analytic time is within 3.1 % of the RTL's cycles.
    const double LogicPimRtlEfficiency = 0.7146;
    const double BankPimBandwidthMultiple = 16;          // [T] Bank-PIM baseline
    const double BankPimOpPerByte = 1;                   // [T]
    // Dequantisers (docs/serving-techniques.md). H100: [D] H100 SXM data sheet, 133.8 TFLOPS FP16 non-tensor;
    // our choice of 2 operations per weight (one integer unpack, one FP16 FMA applying scale and zero point).
    const double H100DequantElementsPerSecond = 133.8e12 / 2;
    // PIM: the published Logic-PIM has FP16 MACs only and no dequantiser [T]. Our choice: one per GEMM module,
    // sized to keep pace with its bank-bundle stream at int4 (2 weights per byte of bandwidth).
    const double PimDequantElementsPerByte = 2;

    /// <summary>Appended to any preset name ("duplex-ideal"): every processor at its peak, no DRAM timing model.</summary>
    public const string IdealSuffix = "-ideal";

    public static bool TryGet(string name, [NotNullWhen(true)] out V1.Hardware? hardware)
    {
        if (name.EndsWith(IdealSuffix, StringComparison.OrdinalIgnoreCase) && TryGet(name[..^IdealSuffix.Length], out var timed))
        {
            timed.Name += IdealSuffix;
            timed.IdealEfficiency = true;
            timed.Description += " (ideal roofline: no DRAM timing model)";
            hardware = timed;
            return true;
        }
        hardware = name.ToLowerInvariant() switch
        {
            "h100" or "gpu" => H100(),
            "h200" => H200Preset.Create(),
            "duplex" => Duplex(),
            "duplex-rtl" => DuplexRtl(),
            "bank-pim" => BankPim(),
            "bankgroup-pim" => BankGroupPim(),
            _ => null,
        };
        return hardware is not null;
    }

    public static V1.Hardware Get(string name) =>
        TryGet(name, out var hw) ? hw : throw new InputException($"unknown hardware preset '{name}' (presets: {string.Join(", ", Names)})");

    public static V1.Hardware H100() => new()
    {
        Name = "h100",
        Description = "NVIDIA H100 SXM 80 GB: the GPU baseline of the Duplex evaluation",
        Processors = { Gpu("gpu", ProcessorKind.Gpu) },
        Memory = Hbm3(),
        Interconnect = NvlinkAndInfiniband(),
    };

    public static V1.Hardware Duplex() => new()
    {
        Name = "duplex",
        Description = "Duplex: H100-class xPU + Logic-PIM on each HBM3 logic die (4x bandwidth, Op/B 8)",
        Processors =
        {
            Gpu("xpu", ProcessorKind.Xpu),
            Pim("logic_pim", ProcessorKind.LogicPim, LogicPimBandwidthMultiple, LogicPimOpPerByte,
                LogicPimPathJoulesPerBit, LogicPimClockHz,
                "[T] 4x bandwidth via bank bundles, peak Op/B 8, 650 MHz (32 GEMM modules/stack x 512 FP16 MACs); [C] 1.81 pJ/bit"),
        },
        Memory = Hbm3(),
        Interconnect = NvlinkAndInfiniband(),
    };

    /// <summary>Duplex with Logic-PIM's efficiency calibrated against the RTL (rtl/, one bank bundle per stream):
    /// the machine model's view of the hardware this repository simulates cycle by cycle.</summary>
    public static V1.Hardware DuplexRtl()
    {
        var hw = Duplex();
        hw.Name = "duplex-rtl";
        hw.Description = "Duplex with Logic-PIM calibrated against the RTL: 71.5 % of the bank-bundle peak (row switches, refresh)";
        var pim = hw.Processors.Single(p => p.Kind == ProcessorKind.LogicPim);
        pim.BandwidthEfficiency = LogicPimRtlEfficiency;
        // The PUs consume the weight stream as it arrives, so they stall exactly when it does.
        pim.ComputeEfficiency = LogicPimRtlEfficiency;
        pim.Source += "; [M] efficiency 0.7146 from codesign rtl calibrate --full (published module, 1 bundle), 2026-11-27";
        return hw;
    }

    public static V1.Hardware BankPim() => new()
    {
        Name = "bank-pim",
        Description = "H100-class xPU + Bank-PIM (units in DRAM banks: 16x bandwidth, Op/B 1)",
        Processors =
        {
            Gpu("xpu", ProcessorKind.Xpu),
            // Clock not published; 0 means "not modelled". Softmax runs on the logic-die unit [T].
            Pim("bank_pim", ProcessorKind.BankPim, BankPimBandwidthMultiple, BankPimOpPerByte,
                BankPimPathJoulesPerBit, 0, "[T] 16x bandwidth, Op/B 1; [C] 0.73 pJ/bit"),
        },
        Memory = Hbm3(),
        Interconnect = NvlinkAndInfiniband(),
    };

    public static V1.Hardware BankGroupPim() => new()
    {
        Name = "bankgroup-pim",
        Description = "H100-class xPU + BankGroup-PIM (Logic-PIM's bandwidth and compute on the DRAM dies)",
        Processors =
        {
            Gpu("xpu", ProcessorKind.Xpu),
            Pim("bankgroup_pim", ProcessorKind.BankgroupPim, LogicPimBandwidthMultiple, LogicPimOpPerByte,
                BankGroupPimPathJoulesPerBit, LogicPimClockHz, "[T] Logic-PIM bandwidth and compute; [C] 2.68 pJ/bit"),
        },
        Memory = Hbm3(),
        Interconnect = NvlinkAndInfiniband(),
    };

    static Processor Gpu(string name, ProcessorKind kind) => new()
    {
        Name = name,
        Kind = kind,
        Peak =
        {
            new PeakCompute { DataType = DataType.Fp16, FlopsPerS = H100Fp16FlopsPerSecond },
            new PeakCompute { DataType = DataType.Bf16, FlopsPerS = H100Fp16FlopsPerSecond },
            new PeakCompute { DataType = DataType.Fp8, FlopsPerS = H100Fp8FlopsPerSecond },
            new PeakCompute { DataType = DataType.Int8, FlopsPerS = H100Int8OpsPerSecond },
            new PeakCompute { DataType = DataType.Fp32, FlopsPerS = H100Fp32FlopsPerSecond },
        },
        MemoryBandwidthBytesPerS = HbmBandwidthBytesPerSecond,
        ClockHz = H100ClockHz,
        DramEnergyJPerBit = XpuPathJoulesPerBit,
        ComputeEnergyJPerFlop = ComputeJoulesPerFlop,
        // Ideal roofline, as in the published evaluation; calibrate with measurements where you have them.
        BandwidthEfficiency = 1,
        ComputeEfficiency = 1,
        CanRunSoftmax = true,
        DequantElementsPerS = H100DequantElementsPerSecond,
        Source = "[C] 989.4 TFLOPS FP16, 3.352 TB/s, 3.48 pJ/bit, 0.23 pJ/FLOP; [D] FP8/INT8/FP32 peaks and clock from the H100 SXM data sheet",
    };

    static Processor Pim(string name, ProcessorKind kind, double bandwidthMultiple, double opPerByte,
        double joulesPerBit, double clockHz, string source)
    {
        var bandwidth = bandwidthMultiple * HbmBandwidthBytesPerSecond;   // [I] multiple of the device's HBM bandwidth
        var flops = opPerByte * bandwidth;                                  // [I] peak Op/B x bandwidth
        return new Processor
        {
            Name = name,
            Kind = kind,
            // PIM units compute in FP16 (Logic-PIM MACs are FP16 [T]); other types are converted on the way in.
            Peak = { new PeakCompute { DataType = DataType.Fp16, FlopsPerS = flops } },
            MemoryBandwidthBytesPerS = bandwidth,
            ClockHz = clockHz,
            DramEnergyJPerBit = joulesPerBit,
            ComputeEnergyJPerFlop = ComputeJoulesPerFlop,
            BandwidthEfficiency = 1,
            ComputeEfficiency = 1,
            CanRunSoftmax = true,   // Logic-PIM has a softmax unit per stack; Bank-PIM uses the logic-die one [T]
            DequantElementsPerS = PimDequantElementsPerByte * bandwidth,   // our choice, see the constant
            Source = source,
        };
    }

    /// <summary>HBM3, 5 stacks x 16 GiB (8-hi, 2 ranks) = 80 GiB [T]; timing at 5.2 Gb/s [C].</summary>
    static Memory Hbm3() => new()
    {
        CapacityBytes = 5UL * 16 * 1024 * 1024 * 1024,  // [T] 5 stacks x 16 GB; equals the geometry product below
        Stacks = 5,                                      // [T]
        PseudoChannelsPerStack = 32,                     // [T]/[C]
        Ranks = 2,                                       // [T] 8-hi, 2 ranks
        BankGroups = 4,                                  // [T]/[C] per pCH and rank
        BanksPerGroup = 4,                               // [T]/[C]
        RowsPerBank = 16384,                             // [C]
        ColumnsPerRow = 32,                              // [C]
        BytesPerColumn = 32,                             // [C] 256-bit access
        BankBundlesPerPseudoChannel = 4,                 // [T] 2 ranks x upper/lower half
        RowActivationEnergyJ = 0.909e-9,                 // [C] ACT energy (FGDRAM, MICRO 2017)
        Timing = new MemoryTiming                        // [C] HBM3 5.2 Gb/s; tCK ~ 0.77 ns [T] (tCCD_S = 2 tCK = 1.5 ns)
        {
            TckS = 0.769e-9,
            NBl = 2,
            NCl = 19,
            NRcdRd = 19,
            NRcdWr = 19,
            NRp = 19,
            NRas = 45,
            NRc = 63,
            NWr = 21,
            NRtpS = 6,
            NRtpL = 8,
            NCwl = 6,
            NCcdS = 2,
            NCcdL = 4,
            NRrdS = 2,
            NRrdL = 4,
            NWtrS = 8,
            NWtrL = 11,
            NRtw = 3,
            NFaw = 39,
            NRfcSb = 260,
            NRefi = 5070,
        },
        Source = "[T] 5 x 16 GB HBM3 stacks, 32 pCH, 4x4 banks; [C] rows/columns, timing and ACT energy from LLMSimulator",
    };

    /// <summary>Two SerDes crossings of 5.5 pJ/bit each (GPU to NVSwitch, NVSwitch to GPU); see NvlinkAndInfiniband.</summary>
    public const double NvlinkJoulesPerBit = 2 * 5.5e-12;

    /// <summary>
    /// A 400 Gb/s NDR optical transceiver draws 9 W typical (NVIDIA MMS4X00-NS400 product specification), 22.5 pJ/bit;
    /// one at each end of the link: 45 pJ/bit (our choice: NIC and switch ASICs not counted).
    /// </summary>
    public const double InfinibandJoulesPerBit = 2 * 9.0 / 400e9;

    static Interconnect NvlinkAndInfiniband() => new()
    {
        // [T] NVLink 900 GB/s bidirectional within a node; [C] 450 GB/s per direction, 0.8 us.
        // Energy (not in the Duplex evaluation): NVIDIA puts a board-level SerDes at 5.5 pJ/bit against NVLink-C2C's
        // 1.3 (NVIDIA, Hot Chips 34, 2022, Grace/NVLink-C2C); GPU -> NVSwitch -> GPU crosses two, so 11 pJ/bit
        // (our choice: the switch core is not counted).
        IntraNode = new Link { BandwidthBytesPerS = 450e9, LatencyS = 0.8e-6, EnergyJPerBit = NvlinkJoulesPerBit },
        // [C] InfiniBand between nodes: 50 GB/s, 130 ns.
        InterNode = new Link { BandwidthBytesPerS = 50e9, LatencyS = 130e-9, EnergyJPerBit = InfinibandJoulesPerBit },
        MaxDevicesPerNode = 8,                           // [T] nodes of at most 8 devices
        Source = "[T] NVLink within nodes of <= 8, InfiniBand across; [C] link bandwidths and latencies; energy ours: NVLink 2 SerDes x 5.5 pJ/bit "
            + "(NVIDIA, Hot Chips 34), InfiniBand 2 NDR transceivers x 9 W / 400 Gb/s (NVIDIA MMS4X00-NS400)",
    };
}
