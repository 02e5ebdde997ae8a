using System.Globalization;
using System.Text.Json;

namespace CoDesign.Cli.Tests.Commands.Models;

public class ModelsCommandTests
{
    static readonly string[] Presets = ["mixtral-8x7b", "glam-143b", "grok-1", "opt-66b", "llama3-70b", "tiny-moe", "tiny-dense"];

    [Test]
    public void NoArgument_ListsThePaperAndTinyPresets()
    {
        var r = Cli.Run("models");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        using (Assert.EnterMultipleScope())
            foreach (var name in Presets) Assert.That(r.Out, Does.Contain(name));
    }

    [Test]
    public void Csv_GivesParameterCounts()
    {
        var r = Cli.Run("models", "--format", "csv");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r').Split(',')).ToList();
        int name = Array.IndexOf(lines[0], "name"), pars = Array.IndexOf(lines[0], "params");
        var grok = lines.Single(l => l[name] == "grok-1");
        Assert.That(double.Parse(grok[pars], CultureInfo.InvariantCulture) / 1e9, Is.EqualTo(314).Within(1).Percent);
    }

    [Test]
    public void OnePresetAsJson_IsTheNormalisedModel()
    {
        var r = Cli.Run("models", "llama3-70b", "--format", "json");
        Assert.That(r.ExitCode, Is.Zero, r.ToString());
        using var doc = JsonDocument.Parse(r.Out);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(doc.RootElement.EnumerateObject().Select(p => p.Name), Has.All.Match("^[a-z][a-z0-9_]*$"), "snake_case keys");
            Assert.That(doc.RootElement.GetProperty("num_kv_heads").GetInt32(), Is.EqualTo(8));
            Assert.That(doc.RootElement.GetProperty("num_layers").GetInt32(), Is.EqualTo(80));
            // It is still protobuf JSON: it parses back into the model.
            var m = Google.Protobuf.JsonParser.Default.Parse<CoDesign.Schema.V1.ModelConfig>(r.Out);
            Assert.That(m.IntermediateSize, Is.EqualTo(28672));
        }
    }

    [Test]
    public void UnknownModel_ExitsTwoListingThePresets()
    {
        var r = Cli.Run("models", "gpt-5");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(r.ExitCode, Is.EqualTo(2));
            Assert.That(r.ErrLines, Has.Length.EqualTo(1));
            Assert.That(r.Err, Does.Contain("gpt-5").And.Contain("mixtral-8x7b"));
        }
    }
}
