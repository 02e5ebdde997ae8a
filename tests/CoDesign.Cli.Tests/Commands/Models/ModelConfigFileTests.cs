using System.Globalization;

namespace CoDesign.Cli.Tests.Commands.Models;

/// <summary>The config.json files of the compiler tests, through the CLI: real ones load, broken ones exit 2.</summary>
public class ModelConfigFileTests
{
    static string Config(string file) => Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "configs", file);
    static string Broken(string file) => Path.Combine(TestContext.CurrentContext.TestDirectory, "TestData", "configs", "broken", file);

    [TestCase("missing-hidden-size.json", "hidden_size")]
    [TestCase("kv-heads-not-dividing.json", "num_key_value_heads")]
    [TestCase("experts-without-top-k.json", "num_experts_per_tok")]
    [TestCase("top-k-exceeds-experts.json", "num_experts_per_tok")]
    [TestCase("malformed.json", "not valid JSON")]
    [TestCase("hidden-size-not-a-number.json", "hidden_size")]
    [TestCase("unknown-torch-dtype.json", "torch_dtype")]
    [TestCase("dense-without-intermediate-size.json", "intermediate_size")]
    public void BrokenConfig_ExitsTwoWithOneLineNamingTheField(string file, string mention)
    {
        var r = Cli.Run("analyze", "--model", Broken(file), "--decode", "8");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.ErrLines, Has.Length.EqualTo(1), r.ToString());
            Assert.That(r.Err, Does.Contain(mention).And.Contain(file));
            Assert.That(r.Out, Is.Empty);
        }
    }

    [TestCase("qwen3-30b-a3b.json", "Qwen3MoeForCausalLM", 48, 128)]
    [TestCase("opt-66b.json", "OPTForCausalLM", 64, 0)]
    [TestCase("unknown-arch.json", "NovelDecoderForCausalLM", 12, 0)]
    public void RealConfig_ShowsNormalisedInModels(string file, string arch, int layers, int experts)
    {
        var r = Cli.Run("models", Config(file), "--format", "csv");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
        var header = lines[0].ToList();
        var row = lines[1];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(lines, Has.Count.EqualTo(2));
            Assert.That(row[header.IndexOf("architecture")], Is.EqualTo(arch));
            Assert.That(int.Parse(row[header.IndexOf("layers")], CultureInfo.InvariantCulture), Is.EqualTo(layers));
            Assert.That(int.Parse(row[header.IndexOf("experts")], CultureInfo.InvariantCulture), Is.EqualTo(experts));
        }
    }
}
