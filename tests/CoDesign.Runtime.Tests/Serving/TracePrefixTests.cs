using System.Text;
using System.Text.Json;
using CoDesign.Cli;
using CoDesign.Runtime.Serving;
using CoDesign.Schema;

namespace CoDesign.Runtime.Tests.Serving;

/// <summary>A trace that names each request's shared prefix (prefix_group, prefix_len) drives the prefix cache.</summary>
public class TracePrefixTests
{
    static readonly Schema.V1.Program Mixtral = Sim.Compile("mixtral-8x7b", "duplex", 4);

    static string Trace(string text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("codesign-trace-prefix").FullName, "trace.csv");
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Twelve requests: six share one named prefix, four another, two name none.</summary>
    static string Groups()
    {
        var sb = new StringBuilder("arrival_s,input_len,output_len,prefix_group,prefix_len\n");
        for (int i = 0; i < 12; i++)
        {
            string group = i < 6 ? "system-a,96" : i < 10 ? "few-shot-b,64" : ",";
            sb.Append($"{i}.0,128,8,{group}\n");
        }
        return Trace(sb.ToString());
    }

    [Test]
    public void Named_prefixes_hit_after_their_first_request()
    {
        var (r, stages) = Sim.Run(Mixtral, new WorkloadOptions { Batch = 1, TraceCsv = Groups() });
        var pc = r.PrefixCache!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(pc, Is.Not.Null, "a trace naming prefixes turns prefix reuse on");
            // One request at a time, so each finds the prefixes of those before it computed: a group's first misses.
            Assert.That((pc.Hits, pc.Misses), Is.EqualTo((5L + 3L, 2L)));
            Assert.That(pc.SkippedPrefillTokens, Is.EqualTo(5 * 96 + 3 * 64));
            Assert.That(stages.Sum(s => s.PrefillTokens), Is.EqualTo(12 * 128 - (5 * 96 + 3 * 64)));
        }
    }

    [Test]
    public void A_trace_without_prefix_columns_reuses_nothing()
    {
        var (r, _) = Sim.Run(Mixtral, new WorkloadOptions { Batch = 4, TraceCsv = Trace("arrival_s,input_len,output_len\n0,128,8\n1,128,8\n") });
        Assert.That(r.PrefixCache, Is.Null);
    }

    /// <summary>Through the CLI, the user's cache settings apply to the prefixes a trace names.</summary>
    [Test]
    public void The_cache_settings_given_apply_to_trace_prefixes()
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CodesignApp.Run(["simulate", "--model", "mixtral-8x7b", "--devices", "4", "--hardware", "duplex", "--batch", "1",
            "--workload", Groups(), "--prefix-cache-fraction", "0.5", "--format", "json"], o, e);
        Assert.That(code, Is.Zero, e.ToString());
        using var doc = JsonDocument.Parse(o.ToString());
        var root = doc.RootElement;
        var pc = root.GetProperty("prefix_cache");
        Assert.That(pc.GetProperty("hits").GetInt64(), Is.EqualTo(8));
        Assert.That(pc.GetProperty("capacity_tokens").GetInt64(), Is.EqualTo((long)Math.Floor(0.5 * root.GetProperty("kv_capacity_tokens").GetInt64())));
    }

    [TestCase("arrival_s,input_len,output_len,prefix_group\n0,128,8,a\n", "go together")]
    [TestCase("arrival_s,input_len,output_len,prefix_group,prefix_len\n0,128,8,a,200\n", "prefix_len")]
    [TestCase("arrival_s,input_len,output_len,prefix_group,prefix_len\n0,128,8,a,x\n", "prefix_len")]
    public void Bad_prefix_columns_are_refused(string text, string named)
    {
        var e = Assert.Throws<InputException>(() => Workload.ReadTrace(Trace(text), null))!;
        Assert.That(e.Message, Does.Contain(named));
    }
}
