using CoDesign.Compiler.Emit;
using CoDesign.Compiler.Planning;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Validation;
using CoDesign.Runtime.Tensors.Weights;
using CoDesign.Schema.Hardware;
using CoDesign.Schema.V1;

namespace CoDesign.Runtime.Tensors.Tests.Execution;

/// <summary>
/// The Program's PIM kernels reach a PIM backend that executes them (the rtl backend refuses to run without),
/// on both paths that build engines: a plain run and validation (whose comparing wrapper sits in between),
/// and every routed expert call names its expert, so the backend can pick that expert's kernel.
/// </summary>
public class PimKernelHandoffTests
{
    /// <summary>The cpu backend, recording the kernels it is handed and the expert indices it is called with.</summary>
    sealed class Recording : IBackend, IPimKernelBackend
    {
        readonly CpuBackend _cpu = new();
        public List<PimKernels> Kernels { get; } = [];
        public List<int> Experts { get; } = [];
        public void UsePimKernels(PimKernels kernels) { lock (Kernels) Kernels.Add(kernels); }
        public string Name => "recording";
        public string Device => _cpu.Device;
        public Precision Precision => _cpu.Precision;
        public double[] Linear(OpKind kind, double[] x, int rows, HostTensor w) => _cpu.Linear(kind, x, rows, w);
        public double[] RmsNorm(double[] x, int rows, HostTensor gamma, double eps) => _cpu.RmsNorm(x, rows, gamma, eps);
        public double[] Rope(double[] x, int rows, int heads, int headDim, int[] positions, RopeFrequencies rope) => _cpu.Rope(x, rows, heads, headDim, positions, rope);
        public double[] Attention(AttentionInput a) => _cpu.Attention(a);
        public RouterResult Route(double[] x, int rows, HostTensor router, int topK, bool normalizeTopK) => _cpu.Route(x, rows, router, topK, normalizeTopK);
        public double[] GatedFfn(OpKind kind, double[] x, int rows, FfnWeights w)
        {
            if (kind == OpKind.Expert) lock (Experts) Experts.Add(w.Expert);
            return _cpu.GatedFfn(kind, x, rows, w);
        }
        public void Dispose() => _cpu.Dispose();
    }

    [Test]
    public void RunAndValidate_HandTheProgramsKernelsToThePimBackend()
    {
        var w = TestModels.TinyMoe;
        var program = ProgramCompiler.Compile(w.Config, HardwarePresets.Duplex(), new SystemOptions(1));
        var options = new EngineOptions { MaxBatch = 2, Plan = DuplexPlan.FromProgram(program) };
        Assert.That(options.Plan.PimKernels, Is.SameAs(program.PimKernels));
        var requests = TestModels.Requests(w.Vocab, 2).Take(2).ToList();

        var pim = new Recording();
        using (var cpu = new CpuBackend()) new InferenceEngine(w, cpu, pim, options).Run(requests);
        Assert.That(pim.Kernels, Is.EqualTo(new[] { program.PimKernels }));

        var validated = new Recording();
        Validator.Run(w, requests, () => new CpuBackend(), () => validated, options);
        Assert.That(validated.Kernels, Has.Count.EqualTo(2).And.All.SameAs(program.PimKernels), "once through the comparing wrapper, once directly");
        Assert.That(pim.Experts.Concat(validated.Experts), Is.Not.Empty.And.All.InRange(0, (int)w.Config.NumExperts - 1));
    }
}
