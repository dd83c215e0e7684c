using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary>
/// The legacy <c>prompt</c>: a string, a list of strings, a list of token ids, or a list of token-id lists.
/// Exactly one of <see cref="Texts"/> and <see cref="TokenLists"/> is set.
/// </summary>
[JsonConverter(typeof(CompletionPromptConverter))]
public sealed class CompletionPrompt
{
    private CompletionPrompt(IReadOnlyList<string>? texts, IReadOnlyList<IReadOnlyList<int>>? tokenLists, bool wasSingle)
    {
        Texts = texts;
        TokenLists = tokenLists;
        WasSingle = wasSingle;
    }

    public IReadOnlyList<string>? Texts { get; }

    public IReadOnlyList<IReadOnlyList<int>>? TokenLists { get; }

    /// <summary>True when the client sent one prompt (a string or one flat token list) rather than a batch.</summary>
    public bool WasSingle { get; }

    public static CompletionPrompt FromText(string text) => new([text], null, wasSingle: true);

    public static CompletionPrompt FromTexts(IReadOnlyList<string> texts) => new(texts, null, wasSingle: false);

    public static CompletionPrompt FromTokens(IReadOnlyList<int> tokens) => new(null, [tokens], wasSingle: true);

    public static CompletionPrompt FromTokenLists(IReadOnlyList<IReadOnlyList<int>> lists) => new(null, lists, wasSingle: false);
}
