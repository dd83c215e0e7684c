using Mote.Engine.Sampling;

namespace Mote.Evaluation.Synthesis;

/// <summary>
/// A valid byte-level BPE vocabulary of any size, made deterministically: the 256 byte symbols of GPT-2's
/// byte-to-unicode alphabet, then merges of existing token pairs (each merge's result is a new token, so every
/// merge is applicable), then control tokens. Real enough for any BPE tokenizer (llama.cpp's included) to load
/// and run; the text it encodes is not meant to be meaningful.
/// </summary>
public sealed record SyntheticVocabulary(string[] Tokens, int[] TokenTypes, string[] Merges, int BosId, int EosId)
{
    private static readonly string[] s_controlTokens = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];

    public static SyntheticVocabulary Create(int size, ulong seed)
    {
        if (size < 256 + s_controlTokens.Length)
            throw new ArgumentOutOfRangeException(nameof(size), size, "A byte-level vocabulary needs at least 259 tokens.");
        var alphabet = ByteAlphabet();
        var tokens = new List<string>(size);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var symbol in alphabet)
        {
            tokens.Add(symbol);
            known.Add(symbol);
        }

        // Merges favour short, letter-like tokens the way a trained vocabulary does, so tokens stay short.
        var random = new SeededRandom(seed ^ 0x5EED_0F_B0CAB);
        var merges = new List<string>();
        var mergeCount = size - s_controlTokens.Length - 256;
        while (merges.Count < mergeCount)
        {
            var left = tokens[Pick(random, tokens.Count)];
            var right = tokens[Pick(random, tokens.Count)];
            var merged = left + right;
            if (merged.Length > 16 || !known.Add(merged))
                continue;
            tokens.Add(merged);
            merges.Add(left + " " + right);
        }

        var types = Enumerable.Repeat(1, tokens.Count).ToList(); // NORMAL
        foreach (var control in s_controlTokens)
        {
            tokens.Add(control);
            types.Add(3); // CONTROL
        }
        var endOfText = tokens.Count - s_controlTokens.Length;
        return new SyntheticVocabulary(tokens.ToArray(), types.ToArray(), merges.ToArray(), endOfText, endOfText);
    }

    // Skewed toward low ids: the square of a uniform number.
    private static int Pick(SeededRandom random, int count)
    {
        var u = random.NextDouble();
        return Math.Min(count - 1, (int)(u * u * count));
    }

    /// <summary>GPT-2's reversible byte → printable character map, as 256 one-character strings.</summary>
    public static string[] ByteAlphabet()
    {
        var symbols = new string[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            symbols[b] = ((char)(printable ? b : next++)).ToString();
        }
        return symbols;
    }
}
