namespace CoDesign.Sweeps.Spec;

/// <summary>One value of an axis: the label people see and the parameters it sets.</summary>
public sealed record AxisValue(string Label, IReadOnlyDictionary<string, object> Settings);

/// <summary>
/// A swept dimension. A scalar axis is named after the parameter it sets ("batch"); a compound axis
/// ("system", "lengths") has object values that set several parameters at once, e.g. a whole system variant.
/// </summary>
public sealed record Axis(string Name, IReadOnlyList<AxisValue> Values);

/// <summary>
/// Points that are compared with each other: the cartesian product (or, when <see cref="Zip"/>, the i-th values
/// together) of its axes over <see cref="Fixed"/>. <see cref="Baseline"/> names, per axis, the value every point
/// is normalised to (e.g. system = GPU): a point's baseline is the point that differs only on those axes.
/// </summary>
public sealed record SweepGroup(string Name, bool Zip, IReadOnlyDictionary<string, object> Fixed, IReadOnlyList<Axis> Axes,
    IReadOnlyDictionary<string, string> Baseline);

public sealed record SweepSpec(string Name, IReadOnlyList<SweepGroup> Groups);
