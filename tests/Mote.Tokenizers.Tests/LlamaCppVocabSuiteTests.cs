using System.Text;
using Mote.Testing;

namespace Mote.Tokenizers.Tests;

/// <summary>
/// llama.cpp's tokenizer conformance suites: every input must encode (no BOS/EOS, special-token text as plain text)
/// to exactly the ids Hugging Face's tokenizer gives.
/// </summary>
public sealed class LlamaCppVocabSuiteTests
{
    /// <summary>
    /// Vocabularies under test, by fixture name (fixtures/tokenizer/ggml-vocab-NAME.gguf).
    /// </summary>
    public static readonly string[] Vocabularies = ["llama-spm", "phi-3", "bert-bge", "gpt-2", "llama-bpe", "qwen2"];

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        if (!Fixtures.Available)
            return data;
        foreach (var vocab in Vocabularies)
            for (var i = 0; i < LlamaCppVocabSuite.CountCases(vocab); i++)
                data.Add(vocab, i);
        return data;
    }

    [FixtureTheory]
    [MemberData(nameof(Cases))]
    public void Encode_LlamaCppSuiteInput_MatchesReferenceIds(string vocab, int index)
    {
        var suite = LlamaCppVocabSuite.Get(vocab);
        var input = suite.Inputs[index];

        var actual = suite.Tokenizer.Encode(input, addSpecial: false, parseSpecial: false);

        var expected = suite.Expected[index];
        Assert.True(expected.AsSpan().SequenceEqual(actual),
            $"{vocab} #{index} {Escape(input)}\n  expected [{string.Join(' ', expected)}]\n  actual   [{string.Join(' ', actual)}]");
    }

    private static string Escape(string text)
    {
        var preview = text.Length > 80 ? text[..80] + "…" : text;
        var builder = new StringBuilder("\"");
        foreach (var c in preview)
            builder.Append(c switch { '\n' => "\\n", '\t' => "\\t", '\r' => "\\r", _ => c.ToString() });
        return builder.Append('"').ToString();
    }
}
