// SPDX-License-Identifier: Apache-2.0
// Named configurations of one Logic-PIM GEMM module; every flow (build, golden, CLI, tests) reads these.
using CoDesign.Schema;

namespace CoDesign.Rtl;

/// <summary>
/// One GEMM module and its bank-bundle path. Lanes FP16 weights arrive per cycle (one beat), each of the
/// Tokens PUs multiplies them with its own inputs; the input buffer holds Tokens x IbufRows beats, the
/// output buffer Tokens x ObufRows partial sums.
/// </summary>
public sealed record PimConfig(string Name, int Lanes, int Tokens, int IbufRows, int ObufRows, int Bundles, int SoftmaxMaxLen, int SoftmaxLanes)
{
    /// <summary>[T] 650 MHz, matched to HBM3 tCCD_S = 1.5 ns.</summary>
    public const double ClockHz = 650e6;

    /// <summary>[T] 512 FP16 MACs = 64 weights per cycle x 8 tokens; [T] 8 KB input buffer = 8 tokens x 512
    /// FP16; [I] output buffer 512 rows x 8 tokens x FP32 = 16 KB (not published); [I] softmax rows up to
    /// 8192 binary32 = 32 KB, inside the published 128 KB of softmax buffers [T]; [I] 16 exp units (the
    /// paper has "exp units" without a count).</summary>
    public static PimConfig Published(int bundles = 1) => new("published", 64, 8, 8, 512, bundles, 8192, 16);

    /// <summary>Small enough to verilate and simulate in seconds, with K and N tiling exercised.</summary>
    public static PimConfig Ci(int bundles = 1) => new("ci", 8, 2, 8, 32, bundles, 1024, 4);

    public static PimConfig Get(string name, int bundles) => name.ToLowerInvariant() switch
    {
        "published" => Published(bundles),
        "ci" => Ci(bundles),
        _ => throw new InputException($"unknown RTL configuration '{name}' (ci, published)"),
    };

    public int KTileMax => IbufRows * Lanes;
    public double PeakBytesPerCycle => Lanes * 2.0;
    public double PeakFlopsPerCycle => 2.0 * Lanes * Tokens;
    public double PeakOpPerByte => PeakFlopsPerCycle / PeakBytesPerCycle;

    /// <summary>Verilator -G overrides for cd_pim_tb.</summary>
    public IReadOnlyList<string> Parameters =>
        [$"Lanes={Lanes}", $"Tokens={Tokens}", $"IbufRows={IbufRows}", $"ObufRows={ObufRows}", $"Bundles={Bundles}", $"SmMaxLen={SoftmaxMaxLen}", $"SmLanes={SoftmaxLanes}"];

    public void Validate()
    {
        static bool Pow2(int v) => v > 0 && (v & (v - 1)) == 0;
        if (!Pow2(Lanes) || Lanes < 4) throw new InputException($"--lanes must be a power of two >= 4 (got {Lanes})");
        if (Tokens < 1 || Tokens > 64) throw new InputException($"--pus (tokens per pass) must be 1..64 (got {Tokens})");
        if (IbufRows < 1 || ObufRows < 1) throw new InputException("buffer depths must be positive");
        if (SoftmaxMaxLen < 2 || (SoftmaxMaxLen & (SoftmaxMaxLen - 1)) != 0) throw new InputException("softmax length limit must be a power of two");
        if (SoftmaxLanes < 1 || (SoftmaxLanes & (SoftmaxLanes - 1)) != 0 || SoftmaxMaxLen % SoftmaxLanes != 0)
            throw new InputException("softmax lanes must be a power of two dividing the length limit");
        if (Bundles is < 1 or > 4) throw new InputException($"--bundles must be 1..4 (got {Bundles})");
    }
}
