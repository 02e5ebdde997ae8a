using CoDesign.Compiler.Models;
using CoDesign.Runtime.Tensors.Backends;
using CoDesign.Runtime.Tensors.Execution;
using CoDesign.Runtime.Tensors.Numerics;
using CoDesign.Runtime.Tensors.Safetensors;
using CoDesign.Runtime.Tensors.Weights;

namespace CoDesign.Runtime.Tensors.Tests.Weights;

/// <summary>
/// A Qwen-MoE-style checkpoint (Q/K/V biases, mlp.experts.* names, a shared expert with its sigmoid gate) read
/// from a config.json like Qwen's, loaded and run: exercises the optional tensors Mixtral-style models lack.
/// </summary>
public class QwenStyleModelTests
{
    [Test]
    public void QwenMoeCheckpointLoadsAndRunsLikeTheReference()
    {
        var dir = Directory.CreateTempSubdirectory("codesign-qwen-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "config.json"), """
                { "architectures": ["Qwen2MoeForCausalLM"], "model_type": "qwen2_moe", "hidden_size": 64, "num_hidden_layers": 2,
                  "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 1000, "intermediate_size": 96,
                  "moe_intermediate_size": 32, "shared_expert_intermediate_size": 48, "num_experts": 8, "num_experts_per_tok": 2,
                  "decoder_sparse_step": 1, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "torch_dtype": "bfloat16" }
                """);
            var config = HfConfigReader.Load(Path.Combine(dir, "config.json"));
            // Random weights under Qwen names, plus the tensors only Qwen has.
            var rng = new SplitMix64(5);
            HostTensor T(string name, params int[] shape) => new(name, TensorDType.BF16, shape,
                Enumerable.Range(0, (int)HostTensor.ElementCount(shape)).Select(_ => HalfBits.RoundTo((float)((rng.NextDouble() - 0.5) * 0.4), TensorDType.BF16)).ToArray());
            // The routed part from the random generator (without the shared expert, added below under Qwen names).
            var routedOnly = config.Clone();
            routedOnly.NumSharedExperts = 0;
            var baseModel = RandomModel.Create(routedOnly, 9, TensorDType.BF16);
            var tensors = RandomModel.AllTensors(baseModel).Select(t => new HostTensor(t.Name
                .Replace("block_sparse_moe.gate.", "mlp.gate.").Replace("block_sparse_moe.experts.", "mlp.experts.")
                .Replace(".w1.", ".gate_proj.").Replace(".w3.", ".up_proj.").Replace(".w2.", ".down_proj."), t.Storage, t.Shape, t.Values)).ToList();
            for (int l = 0; l < 2; l++)
            {
                foreach (var (p, n) in new[] { ('q', 64), ('k', 32), ('v', 32) }) tensors.Add(T(TensorNames.AttnBias(l, p), n));
                tensors.Add(T(TensorNames.SharedExpert(l, "gate"), 48, 64));
                tensors.Add(T(TensorNames.SharedExpert(l, "up"), 48, 64));
                tensors.Add(T(TensorNames.SharedExpert(l, "down"), 64, 48));
                tensors.Add(T(TensorNames.SharedExpertGate(l), 1, 64));
            }
            SafetensorsWriter.Write(Path.Combine(dir, "model.safetensors"), tensors);

            var w = WeightsLoader.Load(config, dir);
            Assert.That(w.Layers[1].QBias, Is.Not.Null);
            Assert.That(w.Layers[1].SharedExpert!.Down.Shape, Is.EqualTo(new[] { 64, 48 }));
            Assert.That(w.Layers[1].SharedExpertGate, Is.Not.Null);

            var reqs = TestModels.Requests(w.Vocab, newTokens: 3);
            using IBackend cpu = new CpuBackend(), reference = new ReferenceBackend();
            var a = new InferenceEngine(w, cpu, cpu, TestModels.Options(model: w)).Run(reqs);
            var b = new InferenceEngine(w, reference, reference, TestModels.Options(model: w)).Run(reqs);
            Assert.That(a.Requests.Select(r => r.Generated), Is.EqualTo(b.Requests.Select(r => r.Generated)));

            // The optional tensors matter: without them the model computes something else.
            var noShared = new ModelWeights
            {
                Config = w.Config,
                Embedding = w.Embedding,
                FinalNorm = w.FinalNorm,
                LmHead = w.LmHead,
                Origin = w.Origin,
                Layers = [.. w.Layers.Select(L => new LayerWeights { InputNorm = L.InputNorm, Q = L.Q, K = L.K, V = L.V, O = L.O, PostNorm = L.PostNorm, Router = L.Router, Experts = L.Experts })],
            };
            var c2 = new InferenceEngine(noShared, reference, reference, TestModels.Options(model: w)).Run(reqs);
            Assert.That(c2.Requests.SelectMany(r => r.Margins), Is.Not.EqualTo(b.Requests.SelectMany(r => r.Margins)));
        }
        finally { Directory.Delete(dir, true); }
    }
}
