using System.Text.Json;

namespace Mote.Testing;

/// <summary>
/// One llama.cpp golden file (fixtures/golden/golden-*.json, kquant-synthetic/golden-*.json): prompts with their
/// token ids, full last-prompt-position logits and 64-step greedy continuations.
/// </summary>
public sealed record GoldenRun(string ModelFile, IReadOnlyList<GoldenPrompt> Prompts)
{
    public static GoldenRun Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var prompts = new List<GoldenPrompt>();
        foreach (var p in root.GetProperty("prompts").EnumerateArray())
        {
            var logits = p.GetProperty("last_prompt_logits");
            var greedy = p.GetProperty("greedy");
            prompts.Add(new GoldenPrompt(
                p.GetProperty("id").GetString()!,
                p.GetProperty("text").GetString()!,
                Ints(p.GetProperty("tokens_with_special")),
                Ints(p.GetProperty("tokens_without_special")),
                logits.GetProperty("logits").EnumerateArray().Select(e => e.GetSingle()).ToArray(),
                Ints(greedy.GetProperty("ids")),
                greedy.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("margin").GetSingle()).ToArray(),
                Convert.FromHexString(greedy.GetProperty("text_utf8_hex").GetString()!)));
        }
        return new GoldenRun(root.GetProperty("model_file").GetString()!, prompts);
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();
}

/// <summary>One prompt of a golden run.</summary>
/// <param name="GreedyMargins">Per greedy step, logit[top1] − logit[top2] in llama.cpp's run.</param>
/// <param name="GreedyText">The UTF-8 bytes of the concatenated greedy pieces (control tokens empty).</param>
public sealed record GoldenPrompt(
    string Id,
    string Text,
    int[] TokensWithSpecial,
    int[] TokensWithoutSpecial,
    float[] LastPromptLogits,
    int[] GreedyIds,
    float[] GreedyMargins,
    byte[] GreedyText);
