namespace CoDesign.Runtime.Tensors.Execution;

/// <summary>A generation request: prompt token ids and how many tokens to generate greedily.</summary>
public sealed record Request(int Id, int[] Prompt, int MaxNewTokens);
