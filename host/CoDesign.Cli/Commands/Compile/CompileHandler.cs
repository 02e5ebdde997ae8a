using CoDesign.Compiler.Planning;
using CoDesign.Reports;
using CoDesign.Schema.Programs;

namespace CoDesign.Cli.Commands.Compile;

public static class CompileHandler
{
    public static int Run(Schema.V1.Program program, string output, OutputFormat format, CliContext ctx)
    {
        byte[] bytes = ProgramFile.Serialize(program, output);
        AtomicFile.Write(output, bytes);
        var s = program.System;
        var summary = new CompileSummary(output, program.Model.Name, program.Hardware.Name, s.Devices, s.Nodes, s.TensorParallel,
            s.DataParallel, s.MoeParallelism.ToString().ToLowerInvariant(), program.LocalExperts, program.WeightBytesPerDevice,
            program.KvBytesPerTokenPerDevice, MemoryPlanner.KvCapacityTokens(program),
            program.LayerKinds.Sum(k => k.Ops.Count) + program.HeadOps.Count,
            program.PimKernels?.Kernels.Count ?? 0,
            program.PimKernels?.Kernels.Sum(k => k.Programs.Sum(pr => pr.Instructions.Count)) ?? 0,
            bytes.Length, program.ContentSha256);
        new CompileRenderer().Write(ctx.Out, summary, format);
        return ExitCodes.Success;
    }
}
