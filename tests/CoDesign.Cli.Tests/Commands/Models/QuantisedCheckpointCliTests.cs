namespace CoDesign.Cli.Tests.Commands.Models;

/// <summary>
/// A quantised checkpoint's quantization_config: the analytic verbs model it; the tensor verbs read GPTQ v1 (tested in
/// Runtime.Tensors.Tests GptqCheckpointTests) and refuse other layouts such as AWQ (exit 2).
/// </summary>
public class QuantisedCheckpointCliTests
{
    const string Config = """
        {"model_type": "llama", "architectures": ["LlamaForCausalLM"], "hidden_size": 256, "num_hidden_layers": 2,
         "num_attention_heads": 4, "num_key_value_heads": 2, "intermediate_size": 512, "vocab_size": 1000,
         "torch_dtype": "float16", "quantization_config": {"quant_method": "gptq", "bits": 4, "group_size": 128}}
        """;

    [Test]
    public void Models_ListsTheFormat_AnalyzeModelsIt()
    {
        using var dir = Cli.TempDir();
        File.WriteAllText(dir.File("config.json"), Config);
        var models = Cli.Run("models", dir.File("config.json"));
        var analyze = Cli.Run("analyze", "--model", dir.File("config.json"), "--hardware", "duplex-ideal", "--decode", "4");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(models.ExitCode, Is.Zero, models.ToString());
            Assert.That(models.Out, Does.Contain("int4 g128 from quantization_config"));
            Assert.That(analyze.ExitCode, Is.Zero, analyze.ToString());
            Assert.That(analyze.Out, Does.Contain("int4 g128"));
        }
    }

    [TestCase("run")]
    [TestCase("validate", "--backend", "cpu")]
    public void TensorVerbs_RefuseIt_WithOneLine(string verb, params string[] more)
    {
        using var dir = Cli.TempDir();
        File.WriteAllText(dir.File("config.json"), Config.Replace("\"gptq\"", "\"awq\"", StringComparison.Ordinal));
        var r = Cli.Run([verb, "--model", dir.Path, .. more]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2), r.ToString());
            Assert.That(r.ErrLines, Has.Length.EqualTo(1), r.ToString());
            Assert.That(r.Err, Does.Contain("awq int4 g128").And.Contain("tensor runtime"));
        }
    }
}
