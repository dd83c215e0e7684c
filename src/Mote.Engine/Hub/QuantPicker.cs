using System.Text.RegularExpressions;

namespace Mote.Engine.Hub;

/// <summary>
/// Chooses the GGUF to pull when a repository holds several and none was named: Q4_K_M (the usual size/quality
/// balance), else Q8_0, else the first file by name. Split shards (<c>-00002-of-00003</c>) and multimodal projectors
/// (<c>mmproj</c>) are never picked automatically.
/// </summary>
public static partial class QuantPicker
{
    private static readonly string[] s_preferred = ["Q4_K_M", "Q8_0"];

    /// <summary>The files a pick is made from: GGUF files that are whole language models, sorted by name.</summary>
    public static IReadOnlyList<string> Candidates(IEnumerable<string> files) =>
        [.. files.Where(f => f.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) && !ShardPattern().IsMatch(f)
                             && !f.Contains("mmproj", StringComparison.OrdinalIgnoreCase))
                 .Order(StringComparer.Ordinal)];

    /// <summary>The default file among <paramref name="files"/>, or null when none is a pickable GGUF.</summary>
    public static string? Pick(IReadOnlyList<string> files)
    {
        var candidates = Candidates(files);
        foreach (var quant in s_preferred)
        {
            var match = candidates.FirstOrDefault(f => QuantOf(f) == quant);
            if (match is not null)
                return match;
        }
        return candidates.Count > 0 ? candidates[0] : null;
    }

    /// <summary>The quant tag of a file name (<c>Llama-3.2-1B-Instruct-Q4_K_M.gguf</c> → <c>Q4_K_M</c>), upper-cased, or null.</summary>
    public static string? QuantOf(string file)
    {
        var name = Path.GetFileNameWithoutExtension(file.Split('/')[^1]);
        // Tags contain underscores, so try every suffix that follows a '-' or '.', longest first.
        for (var i = 1; i < name.Length; i++)
        {
            if (name[i - 1] is not ('-' or '.'))
                continue;
            var tag = name[i..].ToUpperInvariant();
            if (QuantPattern().IsMatch(tag))
                return tag;
        }
        return null;
    }

    [GeneratedRegex(@"-\d{5}-of-\d{5}\.gguf$", RegexOptions.IgnoreCase)]
    private static partial Regex ShardPattern();

    [GeneratedRegex(@"^(I?Q\d|F16|F32|BF16)[A-Z0-9_]*$")]
    private static partial Regex QuantPattern();
}
