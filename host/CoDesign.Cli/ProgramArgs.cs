// SPDX-License-Identifier: MIT
// --program: a compiled Program read back, and the checks that refuse one that does not match the other flags.
using System.CommandLine;
using CoDesign.Schema;
using CoDesign.Schema.V1;
using CoDesign.Sweeps.Options;
using Google.Protobuf.Reflection;

namespace CoDesign.Cli;

/// <summary>The <c>--program</c> option and the checks of a Program against the model, hardware and system flags.</summary>
public static class ProgramArgs
{
    public static Option<string?> Option() => new("--program", "-p")
    {
        Description = "A Program written by 'codesign compile --out' (.pb or .json): used as compiled, nothing is recompiled; " +
            "model, hardware and system flags given with it must match it",
    };

    /// <summary>A system option spelled from its table; unset means the table's default (or, with --program, the Program's).</summary>
    public static Option<string?> Choice<T>(OptionTable<T> table) where T : notnull => new(table.Flag) { Description = table.Description };

    /// <summary>Refuses a Program compiled for another model than <paramref name="model"/> (normalised; where the values came from aside).</summary>
    public static void CheckModel(Schema.V1.Program program, ModelConfig model, string path, string what)
    {
        var a = program.Model.Clone();
        var b = model.Clone();
        a.Source = b.Source = "";
        if (a.Equals(b)) return;
        var field = ModelConfig.Descriptor.Fields.InFieldNumberOrder().FirstOrDefault(f => !Equals(f.Accessor.GetValue(a), f.Accessor.GetValue(b)));
        string where = field is null ? "in a field set in one and unset in the other" : $"in {field.JsonName} ({Show(field, a)} vs {Show(field, b)})";
        throw new InputException($"program {path} was compiled for model '{program.Model.Name}', which differs from the '{model.Name}' {what} gives " +
            $"{where}: compile the program for this model");
    }

    public static void CheckHardware(Schema.V1.Program program, Hardware hardware, string path)
    {
        if (program.Hardware.Equals(hardware)) return;
        throw new InputException(program.Hardware.Name == hardware.Name
            ? $"program {path} was compiled for a different '{hardware.Name}' hardware than --hardware gives: compile it again for this hardware"
            : $"program {path} was compiled for hardware '{program.Hardware.Name}', not the '{hardware.Name}' --hardware gives");
    }

    /// <summary>Refuses system option names (given on the command line next to --program) that the Program was not compiled with.</summary>
    public static void CheckSystem(Schema.V1.Program program, string path, string? moe, string? coProcessing, string? placement)
    {
        var s = program.System;
        Check(SystemOptionTables.MoeParallelism, moe, s.MoeParallelism);
        Check(SystemOptionTables.Placement, placement, s.Placement);
        if (coProcessing is not null)
        {
            var table = SystemOptionTables.CoProcessing;
            var asked = table.Parse(coProcessing, table.Flag);
            // auto resolves by hardware when compiling; the Program records what it resolved to.
            bool hasPim = program.Hardware.Processors.Any(p => p.Kind is ProcessorKind.LogicPim or ProcessorKind.BankPim or ProcessorKind.BankgroupPim);
            if (asked == CoProcessing.Unspecified) asked = hasPim ? CoProcessing.Both : CoProcessing.None;
            if (asked != s.CoProcessing) Mismatch(table.Flag, table.Name(s.CoProcessing), coProcessing);
        }

        void Check<T>(OptionTable<T> table, string? name, T actual) where T : notnull
        {
            if (name is not null && !EqualityComparer<T>.Default.Equals(table.Parse(name, table.Flag), actual))
                Mismatch(table.Flag, table.Name(actual), name);
        }
        void Mismatch(string flag, string compiled, string asked) =>
            throw new InputException($"program {path} was compiled with {flag} {compiled}, not {asked.ToLowerInvariant()}: drop {flag} or compile again");
    }

    static string Show(FieldDescriptor f, ModelConfig m) => f.Accessor.GetValue(m) switch
    {
        null => "unset",
        System.Collections.IList l => $"{l.Count} entries",
        var v => v.ToString() ?? "unset",
    };
}
