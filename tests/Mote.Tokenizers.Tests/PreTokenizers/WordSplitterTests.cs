using System.Text;
using Mote.Tokenizers.PreTokenizers;

namespace Mote.Tokenizers.Tests.PreTokenizers;

/// <summary>
/// llama.cpp runs GPT-2's and Llama 3's patterns through hand-written splitters and every other pattern through
/// std::regex on a collapsed text. Both routes exist here too; on the two patterns they share they must cut any
/// text identically, which checks the hand splitters and the regex translation against each other.
/// </summary>
public sealed class WordSplitterTests
{
    // Letters, digits, spaces and newlines of several kinds, apostrophe contractions, punctuation, marks,
    // astral letters and emoji: the character classes the patterns distinguish.
    private static readonly string[] s_alphabet =
    [
        "a", "Z", "é", "ж", "語", "𝐀", "1", "٣", "½", " ", " ", " ", "\t", "\n", "\r", "\u3000", "\u0085",
        "'", "'s", "'S", "'ll", "'Re", "'ve", "'d", "!", ".", "(", "~", "$", "+", "-", "_", "🦙", "\u200d", "\u0301", "\u0007",
    ];

    public static TheoryData<int> Seeds => [.. Enumerable.Range(0, 40)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Gpt2Splitter_RandomText_MatchesTranslatedRegex(int seed) =>
        AssertSameSplits(Gpt2WordSplitter.Instance, new RegexWordSplitter(PreTokenizerRegexes.Gpt2), seed);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Llama3Splitter_RandomText_MatchesTranslatedRegex(int seed) =>
        AssertSameSplits(Llama3WordSplitter.Instance, new RegexWordSplitter(PreTokenizerRegexes.Llama3), seed);

    [Fact]
    public void Gpt2Splitter_Sentence_CutsWordsWithLeadingSpaces()
    {
        var words = Split(Gpt2WordSplitter.Instance, "Hello world's  end\n\n 123!!");

        Assert.Equal(["Hello", " world", "'s", " ", " end", "\n\n", " 123", "!!"], words);
    }

    [Fact]
    public void Llama3Splitter_Digits_GroupsOfThree()
    {
        var words = Split(Llama3WordSplitter.Instance, "1234567 x");

        Assert.Equal(["123", "456", "7", " x"], words);
    }

    [Fact]
    public void RegexSplitter_Qwen2_SplitsEveryDigit()
    {
        var words = Split(new RegexWordSplitter(PreTokenizerRegexes.Qwen2), "ab 123 I'M");

        Assert.Equal(["ab", " ", "1", "2", "3", " I", "'M"], words);
    }

    [Fact]
    public void RegexSplitter_AstralClassMembers_KeepSurrogatePairsWhole()
    {
        // deepseek-llm's letter class lists Deseret (U+10400..) explicitly; the regex runs on the raw text.
        var words = Split(new RegexWordSplitter(PreTokenizerRegexes.DeepSeekLlm[1]), "𐐀𐐁 ab");

        Assert.Equal(["𐐀𐐁", " ab"], words);
    }

    [Fact]
    public void RegexSplitter_DeepSeekLetterClass_UsesTheExactCodePoints()
    {
        // The class has U+212A..U+212D (Kelvin sign onwards) and U+2126 (Ohm sign); a normalised copy would turn
        // them into "K-ℭ" (swallowing "~" and most of Latin-1) and a plain omega.
        var words = Split(new RegexWordSplitter(PreTokenizerRegexes.DeepSeekLlm[1]), "x~y \u2126\u212A");

        Assert.Equal(["x", "~", "y", " \u2126\u212A"], words);
    }

    [Fact]
    public void Translate_CategoryOutsideClass_BecomesCollapsedClass()
    {
        Assert.Equal(@"[\u00D1\u0030-\u0039]+", LlamaRegexTranslator.Translate(@"\p{N}+"));
    }

    [Fact]
    public void Translate_CategoriesAndSpaceInNegatedClass_MergeIntoOneClass()
    {
        var pattern = LlamaRegexTranslator.Translate(@"[^\s\p{L}]");

        Assert.Equal(@"[^\t\n\x0B\f\r\x20\u00D2\u0041-\u005A\u0061-\u007A]", pattern);
    }

    [Fact]
    public void Translate_Dollar_MeansEndOfSegment()
    {
        Assert.Equal(@"[\t\n\x0B\f\r\x20]+\z", LlamaRegexTranslator.Translate(@"\s+$"));
    }

    [Fact]
    public void Translate_UnknownCategory_Throws()
    {
        Assert.Throws<NotSupportedException>(() => LlamaRegexTranslator.Translate(@"\p{Han}+"));
    }

    private static void AssertSameSplits(IWordSplitter expected, IWordSplitter actual, int seed)
    {
        var random = new Random(seed);
        for (var sample = 0; sample < 50; sample++)
        {
            var builder = new StringBuilder();
            var length = random.Next(1, 24);
            for (var i = 0; i < length; i++)
                builder.Append(s_alphabet[random.Next(s_alphabet.Length)]);
            var text = builder.ToString();

            Assert.Equal(Split(expected, text), Split(actual, text));
        }
    }

    private static List<string> Split(IWordSplitter splitter, string text)
    {
        var input = new PreTokenizerText();
        input.Reset(text);
        var result = new List<int>();
        splitter.Split(input, [input.Count], result);

        var words = new List<string>();
        var codepoints = input.Codepoints;
        var start = 0;
        foreach (var length in result)
        {
            var word = new StringBuilder();
            foreach (var cp in codepoints.Slice(start, length))
                word.Append(char.ConvertFromUtf32(cp));
            words.Add(word.ToString());
            start += length;
        }
        Assert.Equal(input.Count, start);
        return words;
    }
}
