using System.Text.Json.Nodes;
using CoDesign.Compiler.Models;
using CoDesign.Schema;
using CoDesign.Schema.V1;

namespace CoDesign.Compiler.Tests.Models;

/// <summary>Real config.json files (written from the public model cards) normalise to the published shapes.</summary>
public class HfConfigReaderTests
{
    static ModelConfig Load(string file) => HfConfigReader.Load(TestConfigs.Path_(file));

    static IEnumerable<bool> Layers(int count, Func<int, bool> sparse) => Enumerable.Range(0, count).Select(sparse);

    [Test]
    public void Mixtral8x7B_LoadsAsEightExpertTopTwoGqaModel()
    {
        var m = Load("mixtral-8x7b-v0.1.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.Architecture, Is.EqualTo("MixtralForCausalLM"));
            Assert.That(m.NumLayers, Is.EqualTo(32));
            Assert.That(m.HiddenSize, Is.EqualTo(4096));
            Assert.That(m.NumAttentionHeads, Is.EqualTo(32));
            Assert.That(m.NumKvHeads, Is.EqualTo(8));
            Assert.That(m.HeadDim, Is.EqualTo(4096 / 32));
            Assert.That(m.NumExperts, Is.EqualTo(8));
            Assert.That(m.ExpertsPerToken, Is.EqualTo(2));
            Assert.That(m.ExpertIntermediateSize, Is.EqualTo(14336), "Mixtral experts are as wide as intermediate_size");
            Assert.That(m.NumSharedExperts, Is.Zero);
            Assert.That(m.FfnKind, Is.EqualTo(FfnKind.GatedSilu));
            Assert.That(m.MoeLayers, Is.EqualTo(Layers(32, _ => true)));
            Assert.That(m.VocabSize, Is.EqualTo(32000));
            Assert.That(m.WeightType, Is.EqualTo(DataType.Bf16));
            Assert.That(m.KvCacheType, Is.EqualTo(DataType.Bf16));
            Assert.That(m.RopeTheta, Is.EqualTo(1e6));
        }
    }

    [Test]
    public void Llama3_70B_LoadsAsDenseGqaWithGroupOfEight()
    {
        var m = Load("meta-llama-3-70b.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.NumLayers, Is.EqualTo(80));
            Assert.That(m.NumKvHeads, Is.EqualTo(8));
            Assert.That(m.NumAttentionHeads / m.NumKvHeads, Is.EqualTo(8));
            Assert.That(m.HeadDim, Is.EqualTo(128));
            Assert.That(m.IntermediateSize, Is.EqualTo(28672));
            Assert.That(m.NumExperts, Is.Zero);
            Assert.That(m.MoeLayers, Has.None.True);
            Assert.That(m.FfnKind, Is.EqualTo(FfnKind.GatedSilu));
            Assert.That(m.VocabSize, Is.EqualTo(128256));
        }
    }

    [Test]
    public void Qwen15MoE_LoadsSixtyExpertsTopFourAndOneSharedExpert()
    {
        var m = Load("qwen1.5-moe-a2.7b.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.Architecture, Is.EqualTo("Qwen2MoeForCausalLM"));
            Assert.That(m.NumLayers, Is.EqualTo(24));
            Assert.That(m.NumKvHeads, Is.EqualTo(16), "MHA: as many KV heads as heads");
            Assert.That(m.NumExperts, Is.EqualTo(60));
            Assert.That(m.ExpertsPerToken, Is.EqualTo(4));
            Assert.That(m.ExpertIntermediateSize, Is.EqualTo(1408), "moe_intermediate_size, not intermediate_size");
            Assert.That(m.NumSharedExperts, Is.EqualTo(1));
            Assert.That(m.SharedExpertIntermediateSize, Is.EqualTo(5632));
            Assert.That(m.MoeLayers, Is.EqualTo(Layers(24, _ => true)), "decoder_sparse_step 1: every layer sparse");
        }
    }

    [Test]
    public void Qwen3MoE_UsesExplicitHeadDimAndFourKvHeads()
    {
        var m = Load("qwen3-30b-a3b.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.Architecture, Is.EqualTo("Qwen3MoeForCausalLM"));
            Assert.That(m.NumLayers, Is.EqualTo(48));
            Assert.That(m.HeadDim, Is.EqualTo(128), "head_dim is given and differs from hidden_size / heads = 64");
            Assert.That(m.NumKvHeads, Is.EqualTo(4));
            Assert.That(m.NumExperts, Is.EqualTo(128));
            Assert.That(m.ExpertsPerToken, Is.EqualTo(8));
            Assert.That(m.ExpertIntermediateSize, Is.EqualTo(768));
            Assert.That(m.NumSharedExperts, Is.Zero);
            Assert.That(m.MoeLayers, Is.EqualTo(Layers(48, _ => true)), "empty mlp_only_layers excludes nothing");
        }
    }

    [Test]
    public void OlmoE_ExpertWidthFallsBackToIntermediateSize()
    {
        var m = Load("olmoe-1b-7b-0924.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.Architecture, Is.EqualTo("OlmoeForCausalLM"));
            Assert.That(m.NumLayers, Is.EqualTo(16));
            Assert.That(m.NumKvHeads, Is.EqualTo(16));
            Assert.That(m.NumExperts, Is.EqualTo(64));
            Assert.That(m.ExpertsPerToken, Is.EqualTo(8));
            Assert.That(m.ExpertIntermediateSize, Is.EqualTo(1024));
            Assert.That(m.MoeLayers, Is.EqualTo(Layers(16, _ => true)));
            Assert.That(m.VocabSize, Is.EqualTo(50304));
        }
    }

    [Test]
    public void Opt66B_FfnDimAndNoKvHeads_LoadsAsMhaTwoMatrix()
    {
        var m = Load("opt-66b.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.Name, Is.EqualTo("opt-66b"), "named after _name_or_path");
            Assert.That(m.NumLayers, Is.EqualTo(64));
            Assert.That(m.HiddenSize, Is.EqualTo(9216));
            Assert.That(m.NumAttentionHeads, Is.EqualTo(72));
            Assert.That(m.NumKvHeads, Is.EqualTo(72), "no num_key_value_heads: MHA");
            Assert.That(m.HeadDim, Is.EqualTo(128));
            Assert.That(m.IntermediateSize, Is.EqualTo(36864), "ffn_dim");
            Assert.That(m.FfnKind, Is.EqualTo(FfnKind.TwoMatrix));
            Assert.That(m.NumExperts, Is.Zero);
            Assert.That(m.WeightType, Is.EqualTo(DataType.Fp16));
        }
    }

    [Test]
    public void DeepSeekMoE_FirstKDenseReplaceKeepsLayerZeroDense()
    {
        var m = Load("deepseek-moe-16b-base.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.NumLayers, Is.EqualTo(28));
            Assert.That(m.NumExperts, Is.EqualTo(64), "n_routed_experts");
            Assert.That(m.ExpertsPerToken, Is.EqualTo(6));
            Assert.That(m.ExpertIntermediateSize, Is.EqualTo(1408));
            Assert.That(m.NumSharedExperts, Is.EqualTo(2));
            Assert.That(m.SharedExpertIntermediateSize, Is.EqualTo(1408), "each shared expert is one routed expert wide");
            Assert.That(m.IntermediateSize, Is.EqualTo(10944), "the dense first layer's FFN");
            Assert.That(m.MoeLayers, Is.EqualTo(Layers(28, i => i >= 1)));
        }
    }

    [Test]
    public void UnknownArchitectureWithStandardKeys_Loads()
    {
        var m = Load("unknown-arch.json");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(m.Architecture, Is.EqualTo("NovelDecoderForCausalLM"));
            Assert.That(m.NumLayers, Is.EqualTo(12));
            Assert.That(m.NumKvHeads, Is.EqualTo(1), "MQA");
            Assert.That(m.HeadDim, Is.EqualTo(1536 / 24));
            Assert.That(m.IntermediateSize, Is.EqualTo(4096));
            Assert.That(m.FfnKind, Is.EqualTo(FfnKind.GatedSilu));
            Assert.That(m.NumExperts, Is.Zero);
            Assert.That(m.WeightType, Is.EqualTo(DataType.Fp16));
        }
    }

    [Test]
    public void ConfigFileWithoutNameOrPath_IsNamedAfterTheFile()
    {
        Assert.That(Load("unknown-arch.json").Name, Is.EqualTo("unknown-arch"));
    }

    [Test]
    public void ConfigJsonInAModelDirectory_IsNamedAfterTheDirectory()
    {
        var dir = Directory.CreateTempSubdirectory("codesign-model-");
        try
        {
            var modelDir = Directory.CreateDirectory(Path.Combine(dir.FullName, "Mixtral-8x7B-v0.1"));
            File.Copy(TestConfigs.Path_("mixtral-8x7b-v0.1.json"), Path.Combine(modelDir.FullName, "config.json"));
            var m = ModelLoader.Resolve(modelDir.FullName);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(m.Name, Is.EqualTo("Mixtral-8x7B-v0.1"));
                Assert.That(m.NumExperts, Is.EqualTo(8));
            }
        }
        finally { dir.Delete(recursive: true); }
    }

    // Published totals from the model cards (billions of parameters, total and active per token).
    [TestCase("mixtral-8x7b-v0.1.json", 46.7, 12.9)]
    [TestCase("meta-llama-3-70b.json", 70.6, 70.6)]
    [TestCase("qwen1.5-moe-a2.7b.json", 14.3, 2.7)]
    [TestCase("qwen3-30b-a3b.json", 30.5, 3.3)]
    [TestCase("olmoe-1b-7b-0924.json", 6.9, 1.3)]
    [TestCase("deepseek-moe-16b-base.json", 16.4, 2.8)]
    public void RealConfig_ParameterCountsMatchTheModelCard(string file, double totalB, double activeB)
    {
        var m = Load(file);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ModelStats.TotalParams(m) / 1e9, Is.EqualTo(totalB).Within(2).Percent);
            Assert.That(ModelStats.ActiveParams(m) / 1e9, Is.EqualTo(activeB).Within(4).Percent);
        }
    }

    [Test]
    public void QwenSparseStep_MakesEveryNthLayerSparseExceptMlpOnlyLayers()
    {
        const string json = """
            { "model_type": "qwen2_moe", "hidden_size": 256, "num_hidden_layers": 8, "num_attention_heads": 4,
              "intermediate_size": 512, "moe_intermediate_size": 128, "vocab_size": 1000,
              "num_experts": 8, "num_experts_per_tok": 2, "decoder_sparse_step": 2, "mlp_only_layers": [3] }
            """;
        var m = HfConfigReader.Parse(json, "qwen-step2.json");
        // Qwen2-MoE: layer i is sparse when (i + 1) % step == 0 and i is not in mlp_only_layers.
        Assert.That(m.MoeLayers, Is.EqualTo(Layers(8, i => (i + 1) % 2 == 0 && i != 3)));
    }

    [Test]
    public void DeepSeekLayerFrequency_CountsFromLayerZeroAfterTheDenseOnes()
    {
        const string json = """
            { "model_type": "deepseek", "hidden_size": 256, "num_hidden_layers": 8, "num_attention_heads": 4,
              "intermediate_size": 512, "moe_intermediate_size": 128, "vocab_size": 1000,
              "n_routed_experts": 8, "num_experts_per_tok": 2, "first_k_dense_replace": 1, "moe_layer_freq": 2 }
            """;
        var m = HfConfigReader.Parse(json, "deepseek-freq2.json");
        // DeepseekDecoderLayer: sparse when layer_idx >= first_k_dense_replace and layer_idx % moe_layer_freq == 0.
        Assert.That(m.MoeLayers, Is.EqualTo(Layers(8, i => i >= 1 && i % 2 == 0)));
    }

    [TestCase("missing-hidden-size.json", "hidden_size")]
    [TestCase("kv-heads-not-dividing.json", "num_key_value_heads")]
    [TestCase("experts-without-top-k.json", "num_experts_per_tok")]
    [TestCase("top-k-exceeds-experts.json", "num_experts_per_tok")]
    [TestCase("hidden-size-not-a-number.json", "hidden_size")]
    [TestCase("unknown-torch-dtype.json", "torch_dtype")]
    [TestCase("dense-without-intermediate-size.json", "intermediate_size")]
    public void BrokenConfig_ThrowsInputExceptionNamingTheField(string file, string field)
    {
        var path = TestConfigs.Broken(file);
        var e = Assert.Throws<InputException>(() => HfConfigReader.Load(path));
        Assert.That(e.Message, Does.Contain(field).And.Contain(file));
    }

    // A dimension of zero is contradictory: the error names the field (never a silent empty model).
    [TestCase("hidden_size")]
    [TestCase("num_hidden_layers")]
    [TestCase("num_attention_heads")]
    [TestCase("vocab_size")]
    [TestCase("intermediate_size")]
    [TestCase("moe_intermediate_size")]
    public void ZeroDimension_ThrowsInputExceptionNamingTheField(string field)
    {
        var json = JsonNode.Parse(File.ReadAllText(TestConfigs.Path_("qwen1.5-moe-a2.7b.json")))!.AsObject();
        if (field == "intermediate_size") json["decoder_sparse_step"] = 2;   // so that some layers need the dense FFN
        json[field] = 0;
        var e = Assert.Throws<InputException>(() => HfConfigReader.Parse(json.ToJsonString(), "zero.json"));
        Assert.That(e.Message, Does.Contain($"'{field}'"));
    }

    [Test]
    public void NormTopkProb_IsTheConfigsKeyOrTheFamilysHuggingFaceDefault()
    {
        (bool Has, bool Value) Norm(ModelConfig m) => (m.HasNormTopkProb, m.NormTopkProb);
        // The public configs' own keys: Qwen1.5-MoE and OLMoE weight experts by raw probabilities, Qwen3-30B-A3B renormalises.
        Assert.That(Norm(Load("qwen1.5-moe-a2.7b.json")), Is.EqualTo((true, false)));
        Assert.That(Norm(Load("olmoe-1b-7b-0924.json")), Is.EqualTo((true, false)));
        Assert.That(Norm(Load("qwen3-30b-a3b.json")), Is.EqualTo((true, true)));
        // Mixtral has no key and always renormalises: unset, which the runtime reads as true.
        Assert.That(Norm(Load("mixtral-8x7b-v0.1.json")).Has, Is.False);
        // A dense model has no router.
        Assert.That(Norm(Load("meta-llama-3-70b.json")).Has, Is.False);
        // Without the key, each family's default in Hugging Face transformers: False for Qwen2-MoE, Qwen3-MoE, OLMoE.
        foreach (var type in new[] { "qwen2_moe", "qwen3_moe", "olmoe", "mixtral" })
        {
            var json = JsonNode.Parse(File.ReadAllText(TestConfigs.Path_("qwen1.5-moe-a2.7b.json")))!.AsObject();
            json.Remove("norm_topk_prob");
            json["model_type"] = type;
            var m = HfConfigReader.Parse(json.ToJsonString(), $"{type}.json");
            Assert.That(Norm(m), Is.EqualTo(type == "mixtral" ? (false, false) : (true, false)), type);
        }
        var bad = JsonNode.Parse(File.ReadAllText(TestConfigs.Path_("qwen1.5-moe-a2.7b.json")))!.AsObject();
        bad["norm_topk_prob"] = "no";
        var e = Assert.Throws<InputException>(() => HfConfigReader.Parse(bad.ToJsonString(), "bad.json"));
        Assert.That(e.Message, Does.Contain("'norm_topk_prob'"));
    }

    [Test]
    public void ZeroDimensionUnderAnAlias_NamesTheKeyTheFileUses()
    {
        const string json = """{ "model_type": "gpt2", "n_embd": 0, "n_layer": 2, "n_head": 4, "n_inner": 64, "vocab_size": 100 }""";
        var e = Assert.Throws<InputException>(() => HfConfigReader.Parse(json, "gpt2.json"));
        Assert.That(e.Message, Does.Contain("'n_embd'"));
    }

    [Test]
    public void MalformedJson_ThrowsInputExceptionSayingSo()
    {
        var e = Assert.Throws<InputException>(() => HfConfigReader.Load(TestConfigs.Broken("malformed.json")));
        Assert.That(e.Message, Does.Contain("not valid JSON").And.Contain("malformed.json"));
    }

    [Test]
    public void KvHeadsNotDividing_MessageGivesBothCounts()
    {
        var e = Assert.Throws<InputException>(() => HfConfigReader.Load(TestConfigs.Broken("kv-heads-not-dividing.json")));
        Assert.That(e.Message, Does.Contain("6").And.Contain("32"));
    }

    [Test]
    public void MissingFile_IsBadInputNotACrash()
    {
        var path = Path.Combine(TestConfigs.Dir, "no-such-config.json");
        var e = Assert.Throws<InputException>(() => ModelLoader.Resolve(path));
        Assert.That(e.Message, Does.Contain("no-such-config.json"));
    }
}
