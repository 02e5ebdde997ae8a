using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CoDesign.Schema.Hardware;

/// <summary>Every field of a hardware description, set or not, with its value, unit, meaning and source.</summary>
public static class HardwareExplainer
{
    public sealed record Row(string Field, string Value, string Unit, string Meaning, string Source);

    public static IReadOnlyList<Row> Explain(V1.Hardware hw)
    {
        var rows = new List<Row>();
        Walk(hw, "", "-", rows);
        return rows;
    }

    static void Walk(IMessage msg, string path, string inheritedSource, List<Row> rows)
    {
        var d = msg.Descriptor;
        // A section's own "source" field is the source of its numbers; sub-messages inherit it (timing from memory).
        var sourceField = d.FindFieldByName("source");
        string source = sourceField is not null && sourceField.Accessor.GetValue(msg) is string { Length: > 0 } s ? s : inheritedSource;
        foreach (var f in d.Fields.InDeclarationOrder())
        {
            string here = path.Length == 0 ? f.JsonName : $"{path}.{f.JsonName}";
            var doc = HardwareFieldDocs.For(d.Name, f.Name);
            var value = f.Accessor.GetValue(msg);
            if (f.IsRepeated)
            {
                var list = ((System.Collections.IList)value).Cast<object>().ToList();
                if (list.Count == 0) rows.Add(new(here, "(none)", doc.Unit, doc.Meaning, "-"));
                for (int i = 0; i < list.Count; i++)
                {
                    string key = list[i] is V1.Processor p ? p.Name : list[i] is V1.PeakCompute pk ? pk.DataType.ShortName() : i.ToString(CultureInfo.InvariantCulture);
                    if (list[i] is IMessage m) Walk(m, $"{here}[{key}]", source, rows);
                    else rows.Add(new($"{here}[{i}]", Show(f, list[i]), doc.Unit, doc.Meaning, source));
                }
                continue;
            }
            if (f.FieldType == FieldType.Message)
            {
                if (value is IMessage sub) Walk(sub, here, source, rows);
                else rows.Add(new(here, "(not set)", doc.Unit, doc.Meaning, "-"));
                continue;
            }
            if (f.Name == "source") continue;   // shown as the source of its section's rows
            bool isDefault = IsDefault(value);
            rows.Add(new(here, isDefault ? $"{Show(f, value)} (not set)" : Show(f, value), doc.Unit, doc.Meaning, isDefault ? "default" : source));
        }
    }

    static bool IsDefault(object v) => v switch
    {
        double d => d == 0,
        uint u => u == 0,
        ulong ul => ul == 0,
        int i => i == 0,
        bool b => !b,
        string s => s.Length == 0,
        Enum e => Convert.ToInt32(e, CultureInfo.InvariantCulture) == 0,
        _ => false,
    };

    static string Show(FieldDescriptor f, object v) => v switch
    {
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        Enum e => ReadableJson.ShortName(f.EnumType.FindValueByNumber(Convert.ToInt32(e, CultureInfo.InvariantCulture))),
        bool b => b ? "true" : "false",
        IFormattable x => x.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
