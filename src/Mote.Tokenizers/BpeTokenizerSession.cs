using System.Text;
using Mote.Tokenizers.PreTokenizers;

namespace Mote.Tokenizers;

/// <summary>
/// The per-call scratch of <see cref="BpeTokenizer"/> (llama.cpp's <c>llm_tokenizer_bpe_session</c>): code point
/// buffers, word bytes, the symbol chain and the merge queue. One instance per thread, reused; never shared.
/// </summary>
internal sealed class BpeTokenizerSession
{
    [ThreadStatic]
    private static BpeTokenizerSession? t_cached;

    private readonly PreTokenizerText _text = new();
    private readonly List<int> _words = [];
    private readonly List<int> _scratch = [];
    private byte[] _bytes = new byte[256];
    private char[] _chars = new char[256];
    private Symbol[] _symbols = new Symbol[256];
    private readonly PriorityQueue<Bigram, long> _queue = new();

    /// <summary>Takes this thread's session (creating it once); give it back with <see cref="Return"/>.</summary>
    public static BpeTokenizerSession Rent()
    {
        var session = t_cached ?? new BpeTokenizerSession();
        t_cached = null; // a re-entrant call on this thread gets a fresh one
        return session;
    }

    public static void Return(BpeTokenizerSession session) => t_cached = session;

    /// <summary>Pre-tokenizes <paramref name="text"/> and appends the BPE tokens of every word.</summary>
    public void Tokenize(
        ReadOnlySpan<char> text, PreTokenizer preTokenizer, BpeTokenizerTables tables, bool ignoreMerges, List<int> output)
    {
        _text.Reset(text);
        preTokenizer.Split(_text, _words, _scratch);
        var codepoints = _text.Codepoints;
        var start = 0;
        foreach (var length in _words)
        {
            var byteCount = EncodeWord(codepoints.Slice(start, length));
            start += length;
            TokenizeWord(byteCount, tables, ignoreMerges, output);
        }
    }

    /// <summary>Writes the word's UTF-8 bytes to <see cref="_bytes"/> and their byte-level characters to <see cref="_chars"/>.</summary>
    private int EncodeWord(ReadOnlySpan<int> codepoints)
    {
        var needed = codepoints.Length * 4;
        if (_bytes.Length < needed)
        {
            _bytes = new byte[Math.Max(needed, _bytes.Length * 2)];
            _chars = new char[_bytes.Length];
        }
        var count = 0;
        foreach (var cp in codepoints)
            count += new Rune(cp).EncodeToUtf8(_bytes.AsSpan(count));
        for (var i = 0; i < count; i++)
            _chars[i] = ByteLevel.ToChar(_bytes[i]);
        return count;
    }

    private void TokenizeWord(int byteCount, BpeTokenizerTables tables, bool ignoreMerges, List<int> output)
    {
        if (byteCount == 0)
            return;
        // llama3-style vocabularies: a word that is already a token is taken whole, even if merges would split it.
        if (ignoreMerges && tables.TokenIds.Find(_chars.AsSpan(0, byteCount)) is >= 0 and var whole)
        {
            output.Add(whole);
            return;
        }

        if (_symbols.Length < byteCount)
            _symbols = new Symbol[Math.Max(byteCount, _symbols.Length * 2)];
        var symbols = _symbols.AsSpan(0, byteCount);
        for (var i = 0; i < byteCount; i++)
            symbols[i] = new Symbol(tables.ByteSymbol(_bytes[i]), i, 1, i - 1, i + 1 < byteCount ? i + 1 : -1);

        _queue.Clear();
        for (var i = 1; i < byteCount; i++)
            TryQueue(symbols, tables, i - 1, i);

        while (_queue.TryDequeue(out var bigram, out _))
        {
            ref var left = ref symbols[bigram.Left];
            ref var right = ref symbols[bigram.Right];
            // Stale entries: one side was merged away, or the right side has grown since this pair was queued.
            if (left.Length == 0 || right.Length == 0 || right.Value != bigram.RightValue)
                continue;

            left.Value = bigram.Result;
            left.Length += right.Length;
            right.Length = 0;
            left.Next = right.Next;
            if (right.Next >= 0)
                symbols[right.Next].Prev = bigram.Left;

            TryQueue(symbols, tables, left.Prev, bigram.Left);
            TryQueue(symbols, tables, bigram.Left, left.Next);
        }

        for (var i = 0; i >= 0; i = symbols[i].Next)
        {
            ref readonly var symbol = ref symbols[i];
            if (tables.IsToken(symbol.Value))
            {
                output.Add(symbol.Value);
                continue;
            }
            // Not a token: llama.cpp looks up each UTF-8 byte of the symbol's text on its own. Only ASCII
            // alphabet characters are one byte long, so only those can ever be found.
            for (var b = symbol.Start; b < symbol.Start + symbol.Length; b++)
            {
                var id = _chars[b] < 0x80 ? tables.ByteSymbol(_bytes[b]) : -1;
                if (tables.IsToken(id))
                    output.Add(id);
            }
        }
    }

    private void TryQueue(Span<Symbol> symbols, BpeTokenizerTables tables, int left, int right)
    {
        if (left < 0 || right < 0)
            return;
        var leftValue = symbols[left].Value;
        var rightValue = symbols[right].Value;
        if (leftValue < 0 || rightValue < 0 || !tables.TryGetMerge(leftValue, rightValue, out var merge))
            return;
        // Lowest rank first; among equal ranks the leftmost pair first (llama.cpp's llm_bigram_bpe::comparator).
        var priority = ((long)merge.Rank << 32) | (uint)left;
        _queue.Enqueue(new Bigram(left, right, rightValue, merge.Result), priority);
    }

    /// <summary>A run of the word's bytes in the chain: its symbol, byte range and neighbours (-1 at the ends).</summary>
    private struct Symbol(int value, int start, int length, int prev, int next)
    {
        public int Value = value;
        public int Start = start;
        public int Length = length;
        public int Prev = prev;
        public int Next = next;
    }

    private readonly record struct Bigram(int Left, int Right, int RightValue, int Result);
}
