using System.Collections.Concurrent;
using System.Globalization;
using Mote.Engine.Loading;
using Mote.Testing;
using Mote.Tokenizers;

namespace Mote.Tokenizers.Tests;

/// <summary>
/// One of llama.cpp's <c>test-tokenizer-0</c> suites in fixtures/tokenizer: <c>ggml-vocab-NAME.gguf</c> with its
/// <c>.inp</c> (inputs, each followed by "\n__ggml_vocab_test__\n") and <c>.out</c> (one line of ids per input,
/// from Hugging Face's <c>AutoTokenizer</c>). Loaded once per vocabulary and shared by all its cases.
/// </summary>
internal sealed class LlamaCppVocabSuite
{
    private const string Separator = "\n__ggml_vocab_test__\n";
    private static readonly ConcurrentDictionary<string, Lazy<LlamaCppVocabSuite>> s_loaded = new();

    private LlamaCppVocabSuite(string name)
    {
        var gguf = Fixtures.Path("tokenizer", $"ggml-vocab-{name}.gguf");
        Tokenizer = TokenizerLoader.Load(gguf);

        var inputs = File.ReadAllText(gguf + ".inp").Split(Separator);
        // The file ends with the separator, so the last piece is empty and no test; anything else would be one.
        Inputs = inputs[^1].Length == 0 ? inputs[..^1] : inputs;
        Expected = File.ReadAllLines(gguf + ".out")
            .Select(line => line.Trim().Length == 0
                ? Array.Empty<int>()
                : line.Trim().Split(' ').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        if (Inputs.Length != Expected.Length)
            throw new InvalidDataException($"{gguf}: {Inputs.Length} inputs but {Expected.Length} expected lines.");
    }

    public Tokenizer Tokenizer { get; }

    public string[] Inputs { get; }

    public int[][] Expected { get; }

    public static LlamaCppVocabSuite Get(string name) =>
        s_loaded.GetOrAdd(name, static n => new Lazy<LlamaCppVocabSuite>(() => new LlamaCppVocabSuite(n))).Value;

    /// <summary>Number of cases, read without building the tokenizer (for test discovery).</summary>
    public static int CountCases(string name)
    {
        var path = Fixtures.Path("tokenizer", $"ggml-vocab-{name}.gguf.out");
        return File.Exists(path) ? File.ReadAllLines(path).Length : 0;
    }
}
