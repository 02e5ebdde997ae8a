namespace CoDesign.Runtime.Tensors.Backends;

/// <summary>The operator kinds a backend executes; validation reports errors per kind.</summary>
public enum OpKind
{
    RmsNorm,
    QkvProj,
    Rope,
    Attention,
    OutProj,
    Router,
    ExpertFfn,
    DenseFfn,
    LmHead,
}

public static class OpKinds
{
    public static string Name(this OpKind k) => k switch
    {
        OpKind.RmsNorm => "rmsnorm",
        OpKind.QkvProj => "qkv_proj",
        OpKind.Rope => "rope",
        OpKind.Attention => "attention",
        OpKind.OutProj => "out_proj",
        OpKind.Router => "router",
        OpKind.ExpertFfn => "expert_ffn",
        OpKind.DenseFfn => "dense_ffn",
        _ => "lm_head",
    };
}
