using System.Text.Json;
using CoDesign.Schema.V1;
using Google.Protobuf;

namespace CoDesign.Cli.Tests.Commands.Compile;

public class CompileCommandTests
{
    [Test]
    public void Compile_WritesAProgramThatParsesBack()
    {
        using var dir = Cli.TempDir();
        var path = dir.File("mixtral.pb");
        var r = Cli.Run("compile", "--model", "mixtral-8x7b", "--hardware", "duplex", "--devices", "4", "--out", path, "--format", "json");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        var p = Program.Parser.ParseFrom(File.ReadAllBytes(path));
        using var summary = JsonDocument.Parse(r.Out);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(p.Model.Name, Is.EqualTo("mixtral-8x7b"));
            Assert.That(p.Hardware.Name, Is.EqualTo("duplex"));
            Assert.That(p.System.Devices, Is.EqualTo(4));
            Assert.That(p.System.TensorParallel, Is.EqualTo(4));
            Assert.That(p.LocalExperts, Is.EqualTo(8 / 4), "one in four of the 8 experts per device");
            Assert.That(p.LayerKinds.Single().Layers, Has.Count.EqualTo(32));
            // Duplex §3: 4 bank-bundle spaces, experts round-robin over them.
            Assert.That(p.BankBundleSpaces, Is.EqualTo(4));
            Assert.That(p.ExpertSpace, Is.EqualTo(new uint[] { 0, 1 }));
            Assert.That(p.ExpertTable.Processors, Is.EqualTo(new[] { "xpu", "logic_pim" }));
            Assert.That(p.ExpertTable.Seconds, Has.Count.EqualTo(2 * (p.ExpertTable.MaxTokens + 1)));
            // KV per token per device: 32 layers x K and V x (8 KV heads / 4) x 128 x 2 B.
            Assert.That(p.KvBytesPerTokenPerDevice, Is.EqualTo(32UL * 2 * 2 * 128 * 2));
            Assert.That(summary.RootElement.GetProperty("size_bytes").GetInt64(), Is.EqualTo(new FileInfo(path).Length));
            Assert.That(summary.RootElement.GetProperty("weight_bytes_per_device").GetDouble(), Is.EqualTo((double)p.WeightBytesPerDevice));
            Assert.That(Directory.GetFiles(dir.Path), Has.Length.EqualTo(1), "no temporary file is left behind");
        }
    }

    [Test]
    public void Compile_WeightsPerDeviceAreAQuarterOfTheModel()
    {
        using var dir = Cli.TempDir();
        var path = dir.File("llama.pb");
        var r = Cli.Run("compile", "--model", "llama3-70b", "--devices", "4", "--out", path);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        var p = Program.Parser.ParseFrom(File.ReadAllBytes(path));
        // Llama 3 70B: ≈ 70.6e9 parameters x 2 B over 4 devices; norms are the only thing replicated.
        Assert.That((double)p.WeightBytesPerDevice, Is.EqualTo(70.55e9 * 2 / 4).Within(1).Percent);
    }

    [Test]
    public void Compile_JsonOutputIsProtobufJson()
    {
        using var dir = Cli.TempDir();
        var path = dir.File("tiny.json");
        var r = Cli.Run("compile", "--model", "tiny-moe", "--out", path);
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        var p = JsonParser.Default.Parse<Program>(File.ReadAllText(path));
        Assert.That(p.Model.Name, Is.EqualTo("tiny-moe"));
        // The Logic-PIM kernels travel in the JSON: decode attention (GEMM, 4 softmaxes for the 4 query heads
        // of a KV head, GEMM), the 8 experts (gate, up, SiLU | down), the Q, K, V and output projections and the
        // LM head (one GEMM each), and the summary counts them.
        Assert.That(p.PimKernels.Kernels, Has.Count.EqualTo(1 + 8 + 5));
        Assert.That(p.PimKernels.Kernels.Sum(k => k.Programs.Sum(pr => pr.Instructions.Count)), Is.EqualTo(6 + 8 * 4 + 5));
        Assert.That(r.Out, Does.Contain("14 Logic-PIM kernels (43 instructions)"));
    }

    [Test]
    public void Compile_SummaryCountsPimKernels_AndNoneWithoutLogicPim()
    {
        using var dir = Cli.TempDir();
        var duplex = Cli.Run("compile", "--model", "tiny-moe", "--out", dir.File("d.pb"), "--format", "json");
        var h100 = Cli.Run("compile", "--model", "tiny-moe", "--hardware", "h100", "--out", dir.File("h.pb"), "--format", "json");
        Assert.That(duplex.ExitCode + h100.ExitCode, Is.Zero, duplex + h100.ToString());
        using var d = JsonDocument.Parse(duplex.Out);
        using var h = JsonDocument.Parse(h100.Out);
        Assert.That(d.RootElement.GetProperty("pim_instructions").GetInt32(), Is.EqualTo(43));
        Assert.That(h.RootElement.GetProperty("pim_kernels").GetInt32(), Is.Zero);
    }

    [Test]
    public void ModelThatDoesNotFit_WritesNothing()
    {
        using var dir = Cli.TempDir();
        var path = dir.File("mixtral.pb");
        var r = Cli.Run("compile", "--model", "mixtral-8x7b", "--devices", "1", "--out", path);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.ErrLines, Has.Length.EqualTo(1));
            Assert.That(r.Err, Does.Contain("does not fit"));
            Assert.That(Directory.GetFileSystemEntries(dir.Path), Is.Empty);
        }
    }

    [Test]
    public void FailedCompile_LeavesAnExistingFileAlone()
    {
        using var dir = Cli.TempDir();
        var path = dir.File("old.pb");
        File.WriteAllBytes(path, [1, 2, 3]);
        var r = Cli.Run("compile", "--model", "no-such-model", "--out", path);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(Directory.GetFileSystemEntries(dir.Path), Has.Length.EqualTo(1));
        }
    }

    [Test]
    public void MissingOutputDirectory_ExitsTwo()
    {
        using var dir = Cli.TempDir();
        var path = Path.Combine(dir.Path, "no", "such", "dir", "x.pb");
        var r = Cli.Run("compile", "--model", "tiny-dense", "--out", path);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.Err, Does.Contain("does not exist"));
            Assert.That(Directory.GetFileSystemEntries(dir.Path), Is.Empty);
        }
    }

    [Test]
    public void MissingOut_ExitsTwo()
    {
        var r = Cli.Run("compile", "--model", "tiny-dense");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.ErrLines, Has.Length.EqualTo(1));
            Assert.That(r.Err, Does.Contain("--out"));
        }
    }
}
