using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;

namespace CoDesign.Runtime.Tensors.Tests;

public class SmokeTests
{
    [Test]
    public void CpuAndReferenceAgree()
    {
        var w = TestModels.TinyMoe;
        var reqs = TestModels.Requests(w.Vocab);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var r = new InferenceEngine(w, new ReferenceBackend(), new ReferenceBackend(), TestModels.Options()).Run(reqs);
        TestContext.Out.WriteLine($"ref {sw.ElapsedMilliseconds} ms");
        sw.Restart();
        var c = new InferenceEngine(w, new CpuBackend(), new CpuBackend(), TestModels.Options()).Run(reqs);
        TestContext.Out.WriteLine($"cpu {sw.ElapsedMilliseconds} ms");
        foreach (var x in r.Requests) TestContext.Out.WriteLine($"{x.Id}: {string.Join(",", x.Generated)} margins {string.Join(",", x.Margins.Select(m => m.ToString("F3")))}");
        foreach (var x in c.Requests) TestContext.Out.WriteLine($"{x.Id}: {string.Join(",", x.Generated)}");
        foreach (var s in r.Stages) TestContext.Out.WriteLine(s.ToString());
        Assert.That(c.Requests.Select(x => x.Generated), Is.EqualTo(r.Requests.Select(x => x.Generated)));
    }
}
