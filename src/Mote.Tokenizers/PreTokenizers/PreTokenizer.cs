namespace Mote.Tokenizers.PreTokenizers;

/// <summary>
/// Splits text into the words BPE runs on, applying a regex list in order as llama.cpp's
/// <c>unicode_regex_split</c> does. The two patterns llama.cpp hand-codes (GPT-2's and Llama 3's) use the same
/// hand-written splitters here; every other pattern runs as a translated .NET regex.
/// </summary>
internal sealed class PreTokenizer
{
    private readonly IWordSplitter[] _steps;

    public PreTokenizer(IReadOnlyList<string> regexes)
    {
        _steps = new IWordSplitter[regexes.Count];
        for (var i = 0; i < regexes.Count; i++)
            _steps[i] = regexes[i] switch
            {
                PreTokenizerRegexes.Gpt2 => Gpt2WordSplitter.Instance,
                PreTokenizerRegexes.Llama3 or PreTokenizerRegexes.Llama3Original => Llama3WordSplitter.Instance,
                var other => new RegexWordSplitter(other),
            };
    }

    /// <summary>
    /// Fills <paramref name="words"/> with the lengths, in code points, of the words of <paramref name="text"/>;
    /// <paramref name="scratch"/> is working space.
    /// </summary>
    public void Split(PreTokenizerText text, List<int> words, List<int> scratch)
    {
        words.Clear();
        if (text.Count == 0)
            return;
        words.Add(text.Count);
        foreach (var step in _steps)
        {
            scratch.Clear();
            step.Split(text, words, scratch);
            words.Clear();
            words.AddRange(scratch);
        }
    }
}
