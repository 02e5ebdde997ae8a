namespace CoDesign.Machine.Stages;

/// <summary>
/// What a stage serves (Duplex §3: the placement rules differ for stages that only decode). One naming for every
/// execution: the analyzer, the serving simulator, the tensor engine and every report print these names.
/// </summary>
public enum StageKind
{
    /// <summary>Only prefill chunks.</summary>
    PrefillOnly,
    /// <summary>Prefill chunks batched with decodes (continuous batching).</summary>
    Mixed,
    /// <summary>Only decodes: the stage the PIM rules of the paper apply to.</summary>
    DecodeOnly,
}

public static class StageKinds
{
    /// <summary>The kind of a stage with <paramref name="prefillTokens"/> prefill tokens and
    /// <paramref name="decodeRequests"/> decoding requests.</summary>
    public static StageKind Of(double prefillTokens, double decodeRequests) =>
        prefillTokens == 0 && decodeRequests > 0 ? StageKind.DecodeOnly
        : decodeRequests > 0 ? StageKind.Mixed
        : StageKind.PrefillOnly;

    public static StageKind Of(StageShape shape) => Of(shape.PrefillTokens, shape.DecodeRequests);

    /// <summary>The name reports, CSV columns and traces use.</summary>
    public static string Name(this StageKind kind) => kind switch
    {
        StageKind.PrefillOnly => "prefill-only",
        StageKind.Mixed => "mixed",
        _ => "decode-only",
    };
}
