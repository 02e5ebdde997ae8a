using CoDesign.Compiler.Planning;
using CoDesign.Reports;
using CoDesign.Schema;
using CoDesign.Schema.Programs;

namespace CoDesign.Cli.Commands.Compile;

public static class CompileHandler
{
    public static int Run(Schema.V1.Program program, string output, OutputFormat format, CliContext ctx)
    {
        byte[] bytes = ProgramFile.Serialize(program, output);
        AtomicFile.Write(output, bytes);
        var s = program.System;
        var summary = new
        {
            program = output,
            model = program.Model.Name,
            hardware = program.Hardware.Name,
            devices = s.Devices,
            nodes = s.Nodes,
            tensor_parallel = s.TensorParallel,
            data_parallel = s.DataParallel,
            moe_parallelism = s.MoeParallelism.ToString().ToLowerInvariant(),
            local_experts = program.LocalExperts,
            weight_bytes_per_device = program.WeightBytesPerDevice,
            kv_bytes_per_token_per_device = program.KvBytesPerTokenPerDevice,
            kv_capacity_tokens = MemoryPlanner.KvCapacityTokens(program),
            operators = program.LayerKinds.Sum(k => k.Ops.Count) + program.HeadOps.Count,
            pim_kernels = program.PimKernels?.Kernels.Count ?? 0,
            pim_instructions = program.PimKernels?.Kernels.Sum(k => k.Programs.Sum(pr => pr.Instructions.Count)) ?? 0,
            size_bytes = bytes.Length,
            content_sha256 = program.ContentSha256,
        };
        switch (format)
        {
            case OutputFormat.Json: Json.Write(ctx.Out, summary); break;
            case OutputFormat.Csv:
                Csv.Write(ctx.Out, ["key", "value"], summary.GetType().GetProperties().Select(pr => (IReadOnlyList<object?>)[pr.Name, pr.GetValue(summary)]));
                break;
            default:
                ctx.Out.WriteLine($"wrote {output} ({Units.Bytes(bytes.Length)}): {summary.model} on {s.Devices} x {summary.hardware} " +
                    $"(TP {s.TensorParallel}, DP {s.DataParallel}, MoE {summary.moe_parallelism}, {summary.local_experts} local experts); " +
                    $"weights {Units.Bytes(summary.weight_bytes_per_device)}/device, KV capacity {Units.Number(summary.kv_capacity_tokens)} tokens/device; " +
                    $"{summary.pim_kernels} Logic-PIM kernels ({summary.pim_instructions} instructions)");
                break;
        }
        return ExitCodes.Success;
    }
}
