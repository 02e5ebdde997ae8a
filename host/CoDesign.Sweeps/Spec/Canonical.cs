using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace CoDesign.Sweeps.Spec;

/// <summary>Canonical JSON (keys sorted ordinally, no spaces, shortest round-trip numbers) and the ids hashed from it.</summary>
public static class Canonical
{
    public static string Json(string group, IReadOnlyDictionary<string, object> parameters)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("group", group);
            w.WritePropertyName("params");
            w.WriteStartObject();
            foreach (var (k, v) in parameters.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                switch (v)
                {
                    case string s: w.WriteString(k, s); break;
                    case long l: w.WriteNumber(k, l); break;
                    case double d: w.WriteNumber(k, d); break;
                    default: throw new InvalidOperationException($"parameter {k} has type {v.GetType().Name}");
                }
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>16 hex digits (64 bits) of SHA-256: collision-free for any sweep a person will run, short enough to read.</summary>
    public static string Id(string canonicalJson) => Sha256(canonicalJson)[..16];

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
