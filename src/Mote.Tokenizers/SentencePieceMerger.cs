using System.Buffers;
using System.Text;

namespace Mote.Tokenizers;

/// <summary>
/// llama.cpp's SentencePiece (BPE-by-score) segmentation of one text run (<c>llm_tokenizer_spm_session</c>): start
/// from single characters, repeatedly merge the adjacent pair whose concatenation is the highest-scoring token
/// (ties: the leftmost), and write each final symbol as its token or, when it is none, as byte tokens. All scratch
/// is pooled per call.
/// </summary>
internal static class SentencePieceMerger
{
    // A symbol is a run of the text; merged-away symbols have Length 0. Prev/Next link the live ones.
    private struct Symbol
    {
        public int Start;
        public int Length;
        public int Prev;
        public int Next;
    }

    private struct Bigram
    {
        public int Left;
        public int Right;
        public float Score;
        public int Length;
    }

    /// <param name="text">The run, already escaped (spaces as ▁).</param>
    /// <param name="index">Token lookup.</param>
    /// <param name="scores">Token scores by id.</param>
    /// <param name="byteTokens">The token for each byte value (-1 when the vocabulary has none).</param>
    /// <param name="output">Receives the ids.</param>
    public static void Encode(ReadOnlySpan<char> text, TokenIndex index, IReadOnlyList<float> scores,
        ReadOnlySpan<int> byteTokens, List<int> output)
    {
        if (text.IsEmpty)
            return;
        var symbols = ArrayPool<Symbol>.Shared.Rent(text.Length);
        var heap = new BigramHeap(text.Length * 2);
        try
        {
            // One symbol per code point.
            var count = 0;
            for (var offset = 0; offset < text.Length;)
            {
                var length = char.IsHighSurrogate(text[offset]) && offset + 1 < text.Length
                    && char.IsLowSurrogate(text[offset + 1]) ? 2 : 1;
                symbols[count] = new Symbol { Start = offset, Length = length, Prev = count - 1, Next = count + 1 };
                offset += length;
                count++;
            }
            symbols[count - 1].Next = -1;

            for (var i = 1; i < count; i++)
                TryAddBigram(text, symbols, i - 1, i, index, scores, ref heap);

            while (heap.TryPop(out var bigram))
            {
                ref var left = ref symbols[bigram.Left];
                ref var right = ref symbols[bigram.Right];
                // Stale: one side was merged away or has grown since the pair was queued.
                if (left.Length == 0 || right.Length == 0 || left.Length + right.Length != bigram.Length)
                    continue;

                left.Length += right.Length;
                right.Length = 0;
                left.Next = right.Next;
                if (right.Next >= 0)
                    symbols[right.Next].Prev = bigram.Left;

                TryAddBigram(text, symbols, left.Prev, bigram.Left, index, scores, ref heap);
                TryAddBigram(text, symbols, bigram.Left, left.Next, index, scores, ref heap);
            }

            for (var i = 0; i != -1; i = symbols[i].Next)
                Emit(text.Slice(symbols[i].Start, symbols[i].Length), index, byteTokens, output);
        }
        finally
        {
            ArrayPool<Symbol>.Shared.Return(symbols);
            heap.Dispose();
        }
    }

    private static void TryAddBigram(ReadOnlySpan<char> text, Symbol[] symbols, int left, int right,
        TokenIndex index, IReadOnlyList<float> scores, ref BigramHeap heap)
    {
        if (left == -1 || right == -1)
            return;
        var length = symbols[left].Length + symbols[right].Length;
        var id = index.Find(text.Slice(symbols[left].Start, length));
        if (id < 0)
            return;
        heap.Push(new Bigram { Left = left, Right = right, Score = scores[id], Length = length });
    }

    // Every merged symbol is a token by construction (a pair is queued only when its text is one), so llama.cpp's
    // re-segmentation through rev_merge never applies; a symbol that is no token is a single code point and goes
    // out as its UTF-8 bytes.
    private static void Emit(ReadOnlySpan<char> symbol, TokenIndex index, ReadOnlySpan<int> byteTokens, List<int> output)
    {
        var id = index.Find(symbol);
        if (id >= 0)
        {
            output.Add(id);
            return;
        }
        Span<byte> bytes = stackalloc byte[8];
        var n = Encoding.UTF8.GetBytes(symbol, bytes);
        for (var j = 0; j < n; j++)
        {
            var byteId = byteTokens[bytes[j]];
            if (byteId < 0)
                throw new InvalidOperationException(
                    $"The vocabulary has no byte token <0x{bytes[j]:X2}> and no unknown token for text it cannot represent.");
            output.Add(byteId);
        }
    }

    /// <summary>Max-heap of bigrams: highest score first, then lowest left position (llama.cpp's comparator).</summary>
    private struct BigramHeap : IDisposable
    {
        private Bigram[] _items;
        private int _count;

        public BigramHeap(int capacity) => _items = ArrayPool<Bigram>.Shared.Rent(Math.Max(capacity, 4));

        public void Push(Bigram item)
        {
            if (_count == _items.Length)
            {
                var bigger = ArrayPool<Bigram>.Shared.Rent(_items.Length * 2);
                _items.AsSpan(0, _count).CopyTo(bigger);
                ArrayPool<Bigram>.Shared.Return(_items);
                _items = bigger;
            }
            var i = _count++;
            while (i > 0)
            {
                var parent = (i - 1) >> 1;
                if (!Before(item, _items[parent]))
                    break;
                _items[i] = _items[parent];
                i = parent;
            }
            _items[i] = item;
        }

        public bool TryPop(out Bigram top)
        {
            if (_count == 0)
            {
                top = default;
                return false;
            }
            top = _items[0];
            var last = _items[--_count];
            var i = 0;
            while (true)
            {
                var child = 2 * i + 1;
                if (child >= _count)
                    break;
                if (child + 1 < _count && Before(_items[child + 1], _items[child]))
                    child++;
                if (!Before(_items[child], last))
                    break;
                _items[i] = _items[child];
                i = child;
            }
            if (_count > 0)
                _items[i] = last;
            return true;
        }

        public void Dispose() => ArrayPool<Bigram>.Shared.Return(_items);

        private static bool Before(in Bigram a, in Bigram b) =>
            a.Score > b.Score || (a.Score == b.Score && a.Left < b.Left);
    }
}
