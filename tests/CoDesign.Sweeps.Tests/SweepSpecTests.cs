using CoDesign.Schema;
using CoDesign.Sweeps.Spec;
using CoDesign.Sweeps.Studies;

namespace CoDesign.Sweeps.Tests;

public class SweepSpecTests
{
    [Test]
    public void Cartesian_points_follow_axis_order_and_point_at_their_baseline()
    {
        var points = SweepExpander.Expand(SweepFile.Parse(TestSupport.SmallSweep, "small.json"));
        Assert.That(points, Has.Count.EqualTo(8));
        // First axis slowest: batch 4 for the first four points, seed alternating fastest.
        Assert.That(points.Select(p => p.Choices["batch"]), Is.EqualTo(new[] { "4", "4", "4", "4", "8", "8", "8", "8" }));
        Assert.That(points.Select(p => p.Choices["seed"]), Is.EqualTo(new[] { "1", "2", "1", "2", "1", "2", "1", "2" }));
        foreach (var p in points)
        {
            var b = points.Single(x => x.Id == p.BaselineId);
            Assert.That(b.Choices["hardware"], Is.EqualTo("h100"));
            Assert.That(b.Choices["batch"], Is.EqualTo(p.Choices["batch"]));
            Assert.That(b.Choices["seed"], Is.EqualTo(p.Choices["seed"]));
        }
        Assert.That(points.Select(p => p.Id).Distinct().Count(), Is.EqualTo(8));
    }

    [Test]
    public void Ids_depend_on_the_parameters_not_on_the_file_layout()
    {
        var a = SweepExpander.Expand(SweepFile.Parse(TestSupport.SmallSweep, "a.json"));
        // The same points written with other key and axis orders: same ids, so a rerun with an edited file resumes.
        var reordered = """
            { "name": "small", "axes": { "seed": [2, 1], "hardware": ["duplex", "h100"], "batch": [8, 4] },
              "fixed": { "output_len": 32, "input_len": 64, "model": "tiny-moe", "length_std": 0.25, "requests": 8 } }
            """;
        var b = SweepExpander.Expand(SweepFile.Parse(reordered, "b.json"));
        Assert.That(b.Select(p => p.Id).Order(), Is.EqualTo(a.Select(p => p.Id).Order()));
        Assert.That(b.Select(p => p.Id), Is.Not.EqualTo(a.Select(p => p.Id)), "the order (and so the index) follows the file");
        var other = SweepExpander.Expand(SweepFile.Parse(TestSupport.SmallSweep.Replace("\"requests\": 8", "\"requests\": 9"), "c.json"));
        Assert.That(other.Select(p => p.Id).Intersect(a.Select(p => p.Id)), Is.Empty, "any parameter change is a new point");
    }

    [Test]
    public void Zip_takes_values_together_and_compound_axes_set_several_parameters()
    {
        var spec = SweepFile.Parse("""
            { "fixed": {"model": "tiny-dense"}, "mode": "zip",
              "axes": { "batch": [4, 8], "system": [ {"name": "GPU", "hardware": "h100"}, {"name": "PIM", "hardware": "duplex", "co_processing": "both"} ] } }
            """, "z.json");
        var points = SweepExpander.Expand(spec);
        Assert.That(points, Has.Count.EqualTo(2));
        Assert.That(points[1].Params["co_processing"], Is.EqualTo("both"));
        Assert.That(points[1].Params["system"], Is.EqualTo("PIM"));
        Assert.That(points[1].Params["batch"], Is.EqualTo(8L));
    }

    [TestCase("""{ "axes": { "bach": [1] }, "fixed": {"model": "tiny-moe"} }""", "'bach' is not a parameter")]
    [TestCase("""{ "fixed": {"model": "tiny-moe", "batch": "big"} }""", "'batch' must be an integer")]
    [TestCase("""{ "fixed": {"model": "tiny-moe"}, "axes": {"batch": []} }""", "axes.batch must be a non-empty array")]
    [TestCase("""{ "fixed": {"model": "tiny-moe"}, "axes": {"batch": [1, 2], "seed": [1]}, "mode": "zip" }""", "equal length")]
    [TestCase("""{ "fixed": {"model": "tiny-moe"}, "axes": {"batch": [1, 2]}, "baseline": {"batch": 3} }""", "baseline batch = '3'")]
    [TestCase("""{ "fixed": {"model": "tiny-moe", "co_processing": "sometimes"} }""", "not one of none, experts, attention, both")]
    [TestCase("""{ "axes": {"batch": [1, 2]} }""", "sets no model")]
    [TestCase("""{ "fixed": {"model": "tiny-moe"}, "axes": {"routing": ["uniform", "zipf:x"]} }""", "routing 'zipf:x' is not")]
    [TestCase("""{ "groups": [], "fixed": {} }""", "'groups' must be a non-empty array")]
    [TestCase("""{ "fixed": {"model": "tiny-moe"}, "axis": {} }""", "unknown key 'axis'")]
    [TestCase("""{ "fixed": {"model": "tiny-moe"} """, "not valid JSON")]
    public void A_malformed_sweep_file_exits_2_naming_the_problem(string json, string expected)
    {
        var dir = TestSupport.TempDir();
        var file = TestSupport.Write(dir, "bad.json", json);
        var (code, _, err) = TestSupport.Cli("sweep", file, "--out", Path.Combine(dir, "r.jsonl"));
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.Contain(expected));
        Assert.That(err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line on stderr");
        Assert.That(File.Exists(Path.Combine(dir, "r.jsonl")), Is.False, "nothing runs on bad input");
    }

    [Test]
    public void An_unknown_model_or_hardware_fails_before_any_point_runs()
    {
        var dir = TestSupport.TempDir();
        var (code, _, err) = TestSupport.Cli("sweep", "--axis", "model=tiny-moe", "--axis", "hardware=h100,nonesuch", "--out", Path.Combine(dir, "r.jsonl"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("hardware 'nonesuch'"));
    }

    [Test]
    public void Cli_axes_build_the_same_points_as_the_equivalent_file()
    {
        var fromAxes = AxisArgs.Build(["model=tiny-moe", "batch=4,8", "hardware=h100,duplex"], ["hardware=h100"], zip: false);
        var fromFile = SweepFile.Parse("""{ "name": "cli", "fixed": {"model": "tiny-moe"}, "axes": {"batch": [4, 8], "hardware": ["h100", "duplex"]}, "baseline": {"hardware": "h100"} }""", "cli.json");
        var a = SweepExpander.Expand(fromAxes);
        var b = SweepExpander.Expand(fromFile);
        Assert.That(a.Select(p => (p.Id, p.BaselineId)), Is.EqualTo(b.Select(p => (p.Id, p.BaselineId))));
    }

    [Test]
    public void Set_overrides_a_parameter_on_every_point_and_so_makes_new_points()
    {
        var spec = SweepFile.Parse(TestSupport.SmallSweep, "small.json");
        var plain = SweepExpander.Expand(spec);
        var seeded = SweepExpander.Expand(spec, AxisArgs.Overrides(["requests=16", "length_std=0.5"]));
        Assert.That(seeded.Select(p => (p.Integer("requests"), p.Number("length_std"))).Distinct(), Is.EqualTo(new[] { ((long?)16, (double?)0.5) }));
        Assert.That(seeded.Select(p => p.Choices), Is.EqualTo(plain.Select(p => p.Choices)), "same axes, same order");
        Assert.That(seeded.Select(p => p.Id).Intersect(plain.Select(p => p.Id)), Is.Empty);
        // The seed axis now collapses onto one value: two points per (batch, hardware) would be identical.
        Assert.That(() => SweepExpander.Expand(SweepFile.Parse(TestSupport.SmallSweep, "s.json"), AxisArgs.Overrides(["seed=7"])),
            Throws.InstanceOf<InputException>().With.Message.Contains("identical parameters"));
        var (code, _, err) = TestSupport.Cli("sweep", "--study", "duplex-paper", "--set", "batch=big", "--list");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("'batch' must be an integer"));
    }

    [Test]
    public void The_duplex_paper_study_is_the_published_grid()
    {
        var points = SweepExpander.Expand(DuplexPaperStudy.Build());
        // 3 MoE models x 5 systems + 2 dense x 4, each 3 batches x 3 length pairs; PIM study 2 models x 4 systems x 2 batches x 3 lengths;
        // load study 7 rates x 3 systems.
        Assert.That(points, Has.Count.EqualTo((3 * 5 + 2 * 4) * 9 + 2 * 4 * 2 * 3 + 7 * 3));
        Assert.That(points.Where(p => p.Text("model") == "grok-1" && p.Text("system") == "2xGPU").Select(PointSettings.Devices).Distinct(), Is.EqualTo(new[] { 32 }));
        Assert.That(points.Where(p => p.Text("model") == "glam-143b").Select(p => p.Integer("input_len")).Distinct(), Is.EqualTo(new long?[] { 512, 1024, 2048 }));
        Assert.That(points.All(p => points.Single(b => b.Id == p.BaselineId).Text("system") == "GPU"));
        var et = points.First(p => p.Text("system") == "Duplex+PE+ET");
        Assert.That((et.Text("co_processing"), et.Text("moe_parallelism")), Is.EqualTo(("both", "tp")));
    }

    [Test]
    public void The_example_sweep_files_in_docs_are_valid()
    {
        var root = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CoDesign.sln"))) root = root.Parent;
        Assert.That(root, Is.Not.Null, "repository root");
        var files = Directory.GetFiles(Path.Combine(root!.FullName, "docs", "sweeps"), "*.json");
        Assert.That(files, Is.Not.Empty);
        foreach (var f in files)
        {
            var points = SweepExpander.Expand(SweepFile.Load(f));
            Assert.That(points, Is.Not.Empty, f);
            foreach (var p in points) PointSettings.ResolveHardware(p);   // every hardware knob applies cleanly
        }
    }

    [Test]
    public void Shards_partition_the_points()
    {
        var points = SweepExpander.Expand(DuplexPaperStudy.Build());
        var shards = Enumerable.Range(1, 3).Select(i => Run.Shard.Parse($"{i}/3").Select(points)).ToList();
        Assert.That(shards.SelectMany(s => s).Select(p => p.Index).Order(), Is.EqualTo(points.Select(p => p.Index)));
        Assert.Throws<InputException>(() => Run.Shard.Parse("0/3"));
        Assert.Throws<InputException>(() => Run.Shard.Parse("4/3"));
    }
}
