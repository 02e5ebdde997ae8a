using System.CommandLine;
using CoDesign.Reports;
using CoDesign.Schema;

namespace CoDesign.Cli;

/// <summary>Options every verb spells the same way.</summary>
public static class CommonOptions
{
    public static Option<OutputFormat> Format() => new("--format", "-f")
    {
        Description = "Output format: table for people, json or csv for programs (snake_case keys, SI units)",
        DefaultValueFactory = _ => OutputFormat.Table,
        CustomParser = r =>
        {
            var v = r.Tokens.Count == 0 ? "table" : r.Tokens[0].Value;
            return v.ToLowerInvariant() switch
            {
                "table" => OutputFormat.Table,
                "json" => OutputFormat.Json,
                "csv" => OutputFormat.Csv,
                _ => throw new InputException($"--format: '{v}' is not one of table, json, csv"),
            };
        },
    };

    public static Option<string> Model(bool required = true) => new("--model", "-m")
    {
        Description = "Model: a preset name (see 'codesign models') or a path to a Hugging Face config.json or model directory",
        Required = required,
    };

    public static Option<string> Hardware() => new("--hardware", "--hw")
    {
        Description = "Hardware: a preset name (see 'codesign hardware') or a protobuf-JSON hardware file",
        DefaultValueFactory = _ => "duplex",
    };

    public static Option<string?> DataType(string name, string what) => new(name)
    {
        Description = $"{what} data type: fp32, fp16, bf16, fp8, int8, int4 (default: the model's, else fp16)",
    };
}
