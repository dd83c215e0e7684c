using System.Collections.Frozen;

namespace Mote.Engine.Hub;

/// <summary>
/// The aliases Mote ships: small instruction-tuned models in well-known GGUF repositories, each pinned to one quant.
/// Sub-billion models use Q8_0 (4-bit quants cost them noticeably more quality than big models); Llama 3.2 1B uses Q4_K_M.
/// </summary>
public static class ModelAliases
{
    /// <summary>What <c>mote serve</c> runs when no model is given: the smallest, fastest alias.</summary>
    public const string Default = "smollm2-135m-instruct";

    /// <summary>Every alias, in the order help lists them.</summary>
    public static IReadOnlyList<ModelAlias> All { get; } =
    [
        new("smollm2-135m-instruct", "bartowski/SmolLM2-135M-Instruct-GGUF", "SmolLM2-135M-Instruct-Q8_0.gguf",
            "SmolLM2 135M Instruct, Q8_0 (~145 MB)"),
        new("smollm2-360m-instruct", "HuggingFaceTB/SmolLM2-360M-Instruct-GGUF", "smollm2-360m-instruct-q8_0.gguf",
            "SmolLM2 360M Instruct, Q8_0 (~390 MB)"),
        new("qwen2.5-0.5b-instruct", "Qwen/Qwen2.5-0.5B-Instruct-GGUF", "qwen2.5-0.5b-instruct-q8_0.gguf",
            "Qwen2.5 0.5B Instruct, Q8_0 (~675 MB)"),
        new("llama3.2-1b-instruct", "bartowski/Llama-3.2-1B-Instruct-GGUF", "Llama-3.2-1B-Instruct-Q4_K_M.gguf",
            "Llama 3.2 1B Instruct, Q4_K_M (~810 MB)"),
    ];

    private static readonly FrozenDictionary<string, ModelAlias> s_byName =
        All.ToFrozenDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);

    public static bool TryGet(string name, out ModelAlias alias) => s_byName.TryGetValue(name, out alias!);

    /// <summary>The alias that points at exactly this repository file, if any (for listings).</summary>
    public static ModelAlias? Find(string repository, string file) =>
        All.FirstOrDefault(a => string.Equals(a.Repository, repository, StringComparison.OrdinalIgnoreCase)
                                && string.Equals(a.File, file, StringComparison.Ordinal));
}
