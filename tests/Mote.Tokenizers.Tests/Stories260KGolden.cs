using System.Text.Json;
using Mote.Engine.Loading;
using Mote.Testing;
using Mote.Tokenizers;

namespace Mote.Tokenizers.Tests;

/// <summary>
/// llama.cpp's recorded tokenization of the golden prompts with stories260K-f32.gguf (a SentencePiece vocabulary
/// with byte fallback), from fixtures/golden/golden-stories260K-f32-kvf32-noFA.json.
/// </summary>
internal sealed class Stories260KGolden
{
    private static readonly Lazy<Stories260KGolden> s_instance = new(() => new Stories260KGolden());

    private Stories260KGolden()
    {
        Tokenizer = TokenizerLoader.Load(Fixtures.Path("stories260K", "stories260K-f32.gguf"));
        using var json = JsonDocument.Parse(File.ReadAllBytes(Fixtures.Path("golden", "golden-stories260K-f32-kvf32-noFA.json")));
        Prompts = json.RootElement.GetProperty("prompts").EnumerateArray()
            .Select(p => new Prompt(
                p.GetProperty("id").GetString()!,
                p.GetProperty("text").GetString()!,
                Ints(p.GetProperty("tokens_with_special")),
                Ints(p.GetProperty("tokens_without_special")),
                p.GetProperty("prompt_pieces").EnumerateArray().Select(e => e.GetString()!).ToArray(),
                Ints(p.GetProperty("greedy").GetProperty("ids")),
                Convert.FromHexString(p.GetProperty("greedy").GetProperty("text_utf8_hex").GetString()!),
                p.GetProperty("greedy").GetProperty("text").GetString()!,
                p.GetProperty("greedy").GetProperty("steps").EnumerateArray().Select(e => e.GetProperty("piece").GetString()!).ToArray()))
            .ToDictionary(p => p.Id);
    }

    public static Stories260KGolden Instance => s_instance.Value;

    public Tokenizer Tokenizer { get; }

    public IReadOnlyDictionary<string, Prompt> Prompts { get; }

    /// <summary>Prompt ids from prompts.json, for test discovery.</summary>
    public static IEnumerable<string> PromptIds()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Fixtures.Path("golden", "prompts.json")));
        return json.RootElement.EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToArray();
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    internal sealed record Prompt(
        string Id,
        string Text,
        int[] TokensWithSpecial,
        int[] TokensWithoutSpecial,
        string[] PromptPieces,
        int[] GreedyIds,
        byte[] GreedyBytes,
        string GreedyText,
        string[] GreedyPieces);
}
