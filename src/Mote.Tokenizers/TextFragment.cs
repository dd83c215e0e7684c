namespace Mote.Tokenizers;

/// <summary>
/// One piece of input after special-token splitting: either a run of plain text (<see cref="Start"/>,
/// <see cref="Length"/> in UTF-16 code units of the input string) or a single special token.
/// </summary>
internal readonly record struct TextFragment(int Start, int Length, int TokenId)
{
    /// <summary>A run of plain text for the tokenizer model.</summary>
    public static TextFragment Text(int start, int length) => new(start, length, -1);

    /// <summary>A special token that goes to the output as is.</summary>
    public static TextFragment Token(int id) => new(0, 0, id);

    public bool IsToken => TokenId >= 0;
}
