// SPDX-License-Identifier: MIT
// One named choice per value of a system option, with its default and help, for every verb and sweep settings.
using CoDesign.Schema;

namespace CoDesign.Sweeps.Options;

/// <summary>One value of a system option: the name users type, the value it stands for, and what it means.</summary>
public sealed record Choice<T>(string Name, T Value, string Help);

/// <summary>
/// The names, default and help of one system option. The CLI flag (<see cref="Flag"/>) and the sweep parameter
/// (<see cref="Key"/>) are spelled from it, and both parse through <see cref="Parse"/>, so an unknown name is refused
/// the same way everywhere (never mapped to a default).
/// </summary>
public sealed class OptionTable<T>(string flag, string key, string summary, string defaultName, params Choice<T>[] choices)
    where T : notnull
{
    public string Flag { get; } = flag;
    public string Key { get; } = key;
    public IReadOnlyList<Choice<T>> Choices { get; } = choices;
    public string DefaultName { get; } = choices.Any(c => c.Name == defaultName) ? defaultName
        : throw new ArgumentException($"default '{defaultName}' is not a choice of {flag}");
    public T Default => Parse(DefaultName, Flag);
    public string[] Names => [.. Choices.Select(c => c.Name)];

    /// <summary>Help text: the summary, each choice with its meaning, and the default.</summary>
    public string Description =>
        $"{summary}: {string.Join("; ", Choices.Select(c => $"{c.Name} = {c.Help}"))} (default: {DefaultName})";

    /// <summary>The value named <paramref name="name"/> (case-insensitive); null is the default.</summary>
    /// <param name="where">what the error names: the flag, or the sweep file and parameter</param>
    public T Parse(string? name, string where)
    {
        if (name is null) return Default;
        foreach (var c in Choices)
            if (string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)) return c.Value;
        throw new InputException($"{where}: '{name}' is not one of {string.Join(", ", Names)}");
    }

    /// <summary>The name of <paramref name="value"/>; values with no name of their own (e.g. Unspecified) name the default.</summary>
    public string Name(T value) =>
        Choices.FirstOrDefault(c => EqualityComparer<T>.Default.Equals(c.Value, value))?.Name ?? DefaultName;
}
