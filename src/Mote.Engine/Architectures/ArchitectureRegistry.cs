using System.Collections.Frozen;

namespace Mote.Engine.Architectures;

/// <summary>
/// The one table of supported model families. Adding a family that fits the shared decoder block is one row
/// here (plus a file of its own only if it needs a new block).
/// </summary>
public static class ArchitectureRegistry
{
    private static readonly FrozenDictionary<string, ArchitectureInfo> s_families = new ArchitectureInfo[]
    {
        // Llama 1/2/3, TinyLlama, SmolLM/SmolLM2, llama2.c conversions. The GGUF converter permutes Q/K so
        // that adjacent-pair RoPE applies.
        new("llama", RopeStyle.Interleaved, AttentionBiases: false),
        // Qwen2 / Qwen2.5: biases on Q, K, V; NeoX RoPE.
        new("qwen2", RopeStyle.NeoX, AttentionBiases: true),
    }.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);

    public static IEnumerable<string> Names => s_families.Keys;

    public static bool TryGet(string name, out ArchitectureInfo info) => s_families.TryGetValue(name, out info!);
}
