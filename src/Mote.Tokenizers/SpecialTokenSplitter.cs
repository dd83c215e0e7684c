namespace Mote.Tokenizers;

/// <summary>
/// Splits input text around the texts of special tokens before a tokenizer model sees it — llama.cpp's
/// <c>tokenizer_st_partition</c>. Every tokenizer (SentencePiece, WordPiece, byte-level BPE) does this first:
/// <code>
/// _splitter.Split(text, parseSpecial, fragments);
/// foreach (var f in fragments)
///     if (f.IsToken) output.Add(f.TokenId);               // a special token, as is
///     else EncodeText(text.AsSpan(f.Start, f.Length));     // plain text for the model
/// </code>
/// Rules, as llama.cpp: the candidates are CONTROL, USER_DEFINED and UNKNOWN tokens, tried longest text first;
/// USER_DEFINED tokens are always split out (Hugging Face's "added tokens"), CONTROL and UNKNOWN ones only when
/// <c>parseSpecial</c> is true. A token in <see cref="Vocabulary.LeftStripIds"/> removes the ASCII whitespace before
/// it within the same text run, one in <see cref="Vocabulary.RightStripIds"/> the whitespace after it.
/// Built once per tokenizer; immutable and thread-safe.
/// </summary>
internal sealed class SpecialTokenSplitter
{
    private readonly Candidate[] _candidates;

    public SpecialTokenSplitter(Vocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var candidates = new List<Candidate>();
        for (var id = 0; id < vocabulary.Count; id++)
        {
            var type = vocabulary.TypeOf(id);
            if (type is not (TokenType.Control or TokenType.UserDefined or TokenType.Unknown))
                continue;
            var text = vocabulary.Tokens[id];
            if (text.Length == 0)
                continue;
            candidates.Add(new Candidate(
                id,
                text,
                AlwaysSplit: type == TokenType.UserDefined,
                StripLeft: vocabulary.LeftStripIds?.Contains(id) == true,
                StripRight: vocabulary.RightStripIds?.Contains(id) == true));
        }
        // Longest text first so that "<|im_start|>" wins over "<|im_start"; equal lengths keep id order
        // (llama.cpp's std::sort leaves that order unspecified).
        candidates.Sort(static (a, b) => a.Text.Length != b.Text.Length
            ? b.Text.Length.CompareTo(a.Text.Length)
            : a.Id.CompareTo(b.Id));
        _candidates = [.. candidates];
    }

    /// <summary>
    /// Fills <paramref name="fragments"/> with the pieces of <paramref name="text"/> in order. Empty text gives no
    /// fragments.
    /// </summary>
    public void Split(string text, bool parseSpecial, List<TextFragment> fragments)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fragments);
        fragments.Clear();
        if (text.Length == 0)
            return;
        fragments.Add(TextFragment.Text(0, text.Length));

        List<TextFragment>? next = null;
        foreach (var candidate in _candidates)
        {
            if (!parseSpecial && !candidate.AlwaysSplit)
                continue;
            // Cheap rejection: most special tokens never occur in a given text.
            if (!text.Contains(candidate.Text, StringComparison.Ordinal))
                continue;

            next ??= new List<TextFragment>(fragments.Count + 4);
            next.Clear();
            foreach (var fragment in fragments)
            {
                if (fragment.IsToken)
                    next.Add(fragment);
                else
                    SplitRun(text, fragment.Start, fragment.Length, candidate, next);
            }
            fragments.Clear();
            fragments.AddRange(next);
        }
    }

    // Splits one text run on every occurrence of the candidate, left to right.
    private static void SplitRun(string text, int start, int length, Candidate candidate, List<TextFragment> output)
    {
        while (length > 0)
        {
            var found = text.AsSpan(start, length).IndexOf(candidate.Text, StringComparison.Ordinal);
            if (found < 0)
                break;

            var leftLength = found;
            if (candidate.StripLeft)
                while (leftLength > 0 && IsCSpace(text[start + leftLength - 1]))
                    leftLength--;
            if (leftLength > 0)
                output.Add(TextFragment.Text(start, leftLength));
            output.Add(TextFragment.Token(candidate.Id));

            var rightStart = start + found + candidate.Text.Length;
            var end = start + length;
            if (candidate.StripRight)
                while (rightStart < end && IsCSpace(text[rightStart]))
                    rightStart++;
            start = rightStart;
            length = end - rightStart;
        }
        if (length > 0)
            output.Add(TextFragment.Text(start, length));
    }

    // C's isspace in the "C" locale, which llama.cpp uses for lstrip/rstrip.
    private static bool IsCSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    private sealed record Candidate(int Id, string Text, bool AlwaysSplit, bool StripLeft, bool StripRight);
}
