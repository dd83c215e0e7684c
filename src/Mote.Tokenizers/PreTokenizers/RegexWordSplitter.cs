using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Mote.Tokenizers.PreTokenizers;

/// <summary>
/// One llama.cpp pre-tokenizer regex without a hand-written equivalent, run as llama.cpp's
/// <c>unicode_regex_split_stl</c> runs it: matches become words, and the text between matches stays as words too.
/// </summary>
internal sealed class RegexWordSplitter : IWordSplitter
{
    // Compiled patterns are shared by every tokenizer that uses them; compiling costs milliseconds each.
    private static readonly ConcurrentDictionary<string, Regex> s_compiled = new(StringComparer.Ordinal);

    private readonly Regex _regex;
    private readonly bool _collapsed;

    public RegexWordSplitter(string llamaRegex)
    {
        _collapsed = LlamaRegexTranslator.UsesCategories(llamaRegex);
        var pattern = LlamaRegexTranslator.Translate(llamaRegex);
        _regex = s_compiled.GetOrAdd(pattern, static p =>
            new Regex(p, RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Compiled));
    }

    public void Split(PreTokenizerText text, List<int> segments, List<int> result)
    {
        var view = _collapsed ? text.Collapsed : text.Wide;
        var start = 0;
        foreach (var length in segments)
        {
            var end = start + length;
            var first = Index(text, start);
            var last = Index(text, end);
            var previous = start;
            var match = _regex.Match(view, first, last - first);
            while (match.Success)
            {
                var matchStart = Codepoint(text, match.Index);
                var matchEnd = Codepoint(text, match.Index + match.Length);
                if (matchStart > previous)
                    result.Add(matchStart - previous);
                // Empty matches (look-ahead-only patterns) only mark a cut; an empty word would produce nothing.
                if (matchEnd > matchStart)
                    result.Add(matchEnd - matchStart);
                previous = matchEnd;
                match = match.NextMatch();
            }
            if (end > previous)
                result.Add(end - previous);
            start = end;
        }
    }

    private int Index(PreTokenizerText text, int codepoint) => _collapsed ? codepoint : text.WideIndex(codepoint);

    private int Codepoint(PreTokenizerText text, int index) => _collapsed ? index : text.CodepointAtWide(index);
}
