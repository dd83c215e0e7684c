using System.Collections.Frozen;
using Mote.Engine;
using Mote.Numerics.Formats;

namespace Mote.Evaluation.Benchmarks;

/// <summary>What the bench reports about a model besides timings: type name, parameter count, decode traffic.</summary>
internal static class ModelFacts
{
    // llama.cpp's llama_ftype values and the names llama_model_ftype_name prints for them.
    private static readonly FrozenDictionary<long, string> s_fileTypes = new Dictionary<long, string>
    {
        [0] = "all F32", [1] = "F16", [2] = "Q4_0", [3] = "Q4_1", [7] = "Q8_0", [8] = "Q5_0", [9] = "Q5_1",
        [10] = "Q2_K - Medium", [11] = "Q3_K - Small", [12] = "Q3_K - Medium", [13] = "Q3_K - Large",
        [14] = "Q4_K - Small", [15] = "Q4_K - Medium", [16] = "Q5_K - Small", [17] = "Q5_K - Medium",
        [18] = "Q6_K", [21] = "Q2_K - Small", [32] = "BF16",
    }.ToFrozenDictionary();

    // How llama.cpp guesses the file type of a file without general.file_type, from its most common tensor type.
    private static readonly FrozenDictionary<GgmlType, long> s_guesses = new Dictionary<GgmlType, long>
    {
        [GgmlType.F32] = 0, [GgmlType.F16] = 1, [GgmlType.Q4_0] = 2, [GgmlType.Q4_1] = 3, [GgmlType.Q8_0] = 7,
        [GgmlType.Q5_0] = 8, [GgmlType.Q5_1] = 9, [GgmlType.Q2_K] = 10, [GgmlType.Q3_K] = 12, [GgmlType.Q4_K] = 15,
        [GgmlType.Q5_K] = 17, [GgmlType.Q6_K] = 18, [GgmlType.BF16] = 32,
    }.ToFrozenDictionary();

    /// <summary>
    /// The file type as llama.cpp names it: from <c>general.file_type</c>, else guessed from the type most tensors
    /// have, marked "(guessed)".
    /// </summary>
    public static string TypeName(Model model)
    {
        var fileType = model.File.Metadata.TryGetInt64("general.file_type");
        if (fileType is { } value)
            return s_fileTypes.TryGetValue(value, out var name) ? name : $"file type {value}";
        var commonest = model.File.Tensors.CountBy(t => t.Type).MaxBy(pair => pair.Value).Key;
        return s_guesses.TryGetValue(commonest, out var guess) ? $"{s_fileTypes[guess]} (guessed)" : $"mostly {commonest} (guessed)";
    }

    /// <summary>Elements of every tensor in the file, as llama-bench counts parameters.</summary>
    public static long ParameterCount(Model model) => model.File.Tensors.Sum(t => t.ElementCount);

    /// <summary>
    /// Weight bytes one decode step streams from memory: every layer matrix and the classifier (read in full
    /// even when tied to the embeddings), but not the embedding table, of which one row is read.
    /// </summary>
    public static long DecodeWeightBytes(Model model)
    {
        var weights = model.Weights;
        var total = weights.Output.ByteSize;
        foreach (var layer in weights.Layers)
            total += layer.Query.ByteSize + layer.Key.ByteSize + layer.Value.ByteSize + layer.Output.ByteSize
                + layer.Gate.ByteSize + layer.Up.ByteSize + layer.Down.ByteSize;
        return total;
    }
}
