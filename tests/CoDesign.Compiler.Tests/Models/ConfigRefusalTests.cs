using CoDesign.Compiler.Models;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Tests.Models;

/// <summary>Configs CoDesign would mis-model are refused with one message naming the key; family defaults apply.</summary>
public class ConfigRefusalTests
{
    const string Base = """
        "model_type": "mistral", "hidden_size": 256, "num_hidden_layers": 2, "num_attention_heads": 4,
        "num_key_value_heads": 2, "intermediate_size": 512, "vocab_size": 1000
        """;

    static ModelConfig Parse(string extra) => HfConfigReader.Parse("{" + Base + (extra.Length > 0 ? ", " + extra : "") + "}", "test.json");

    [TestCase("\"quantization_config\": {\"quant_method\": \"bitsandbytes\", \"load_in_4bit\": true}", "quantization_config")]
    [TestCase("\"quantization_config\": {\"quant_method\": \"gptq\", \"bits\": 3}", "quantization_config")]
    [TestCase("\"quantization_config\": {\"quant_method\": \"awq\", \"bits\": 4, \"group_size\": 0}", "quantization_config")]
    [TestCase("\"alibi\": true", "alibi")]
    [TestCase("\"attention_chunk_size\": 8192", "attention_chunk_size")]
    [TestCase("\"interleave_moe_layer_step\": 1", "interleave_moe_layer_step")]
    [TestCase("\"add_cross_attention\": true", "add_cross_attention")]
    [TestCase("\"cross_attention_hidden_size\": 256", "cross_attention_hidden_size")]
    [TestCase("\"attention_layers\": [\"global\", \"local\"]", "attention_layers")]
    [TestCase("\"text_config\": {}", "text_config")]
    [TestCase("\"vision_config\": {}", "vision_config")]
    [TestCase("\"attn_layer_period\": 8", "attn_layer_period")]
    [TestCase("\"ssm_cfg\": {}", "ssm_cfg")]
    [TestCase("\"topk_method\": \"group_limited_greedy\", \"n_group\": 8, \"topk_group\": 3", "topk_method")]
    [TestCase("\"is_encoder_decoder\": true", "encoder-decoder")]
    [TestCase("\"hidden_act\": \"mish\"", "hidden_act")]
    [TestCase("\"sliding_window\": 64, \"layer_types\": [\"sliding_attention\", \"chunked_attention\"]", "layer_types")]
    [TestCase("\"kv_lora_rank\": 64, \"qk_rope_head_dim\": 16, \"v_head_dim\": 64", "qk_nope_head_dim")]
    public void UnmodelledKey_IsRefusedNamingIt(string extra, string mention)
    {
        var e = Assert.Throws<InputException>(() => Parse(extra));
        Assert.That(e!.Message, Does.Contain(mention).And.Contain("test.json").And.Not.Contain("\n"));
    }

    [TestCase("bert")]
    [TestCase("t5")]
    [TestCase("bloom")]
    [TestCase("mamba")]
    public void RefusedModelType_IsNamed(string type)
    {
        var json = "{" + Base.Replace("\"mistral\"", $"\"{type}\"") + "}";
        Assert.That(() => HfConfigReader.Parse(json, "test.json"), Throws.TypeOf<InputException>().With.Message.Contains($"'{type}'"));
    }

    [TestCase("refused/bert-base-uncased.json", "is an encoder;")]
    [TestCase("refused/t5-small.json", "is an encoder-decoder")]
    public void PublishedEncoderConfigs_AreRefused(string file, string why)
    {
        Assert.That(() => HfConfigReader.Load(TestConfigs.Path_(file)), Throws.TypeOf<InputException>().With.Message.Contains(why));
    }

    [TestCase("mistral", false)]
    [TestCase("llama", false)]
    [TestCase("qwen3_moe", false)]
    [TestCase("gemma", true)]
    [TestCase("gemma2", true)]
    [TestCase("opt", true)]
    [TestCase("novel_decoder", true)]
    public void AbsentTieWordEmbeddings_FollowsTheFamilyDefault(string type, bool tied)
    {
        var json = "{" + Base.Replace("\"mistral\"", $"\"{type}\"") + "}";
        Assert.That(HfConfigReader.Parse(json, "test.json").TieWordEmbeddings, Is.EqualTo(tied));
    }

    [Test]
    public void GroupLimitedRoutingOverOneGroup_IsGreedyAndAccepted()
    {
        Assert.That(() => Parse("\"topk_method\": \"group_limited_greedy\", \"n_group\": 1, \"topk_group\": 1"), Throws.Nothing);
    }

    [Test]
    public void SlidingWindowSwitchedOff_IsNotApplied()
    {
        var m = Parse("\"sliding_window\": 64, \"use_sliding_window\": false");
        Assert.That(m.SlidingWindow, Is.Zero);
    }

    [Test]
    public void QwenStyleWindow_StartsAtMaxWindowLayers()
    {
        var m = Parse("\"sliding_window\": 64, \"use_sliding_window\": true, \"max_window_layers\": 1");
        Assert.That(m.SlidingLayers, Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public void UnknownKey_IsListedAsNotRead()
    {
        var m = Parse("\"frobnication_depth\": 3");
        Assert.That(m.Features, Has.Some.Contains("not read").And.Contains("frobnication_depth"));
    }

    [Test]
    public void ExplicitNullSoftcap_SwitchesTheFamilyDefaultOff()
    {
        var json = "{" + Base.Replace("\"mistral\"", "\"gemma2\"") + ", \"attn_logit_softcapping\": null}";
        var m = HfConfigReader.Parse(json, "test.json");
        Assert.That((m.AttnLogitSoftcapping, m.FinalLogitSoftcapping), Is.EqualTo((0.0, 30.0)));
    }
}
