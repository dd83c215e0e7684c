using System.Numerics.Tensors;
using Mote.Engine.Runtime;
using Mote.Numerics.Threading;

namespace Mote.Engine.Blocks;

/// <summary>
/// Causal scaled dot-product attention for every row of a forward batch over its own sequence's KV cache, split
/// over the worker pool by (block of rows, KV head) pairs: the query heads sharing a KV head (grouped-query
/// attention) are done together, and so are up to <see cref="BlockRows"/> consecutive rows of one sequence (a
/// prompt), so each key and value is read (and an f16 one widened) once per group and block. A row at position p
/// sees positions 0…p of its cache (its own K/V are already written there).
/// <para>
/// Softmax is computed online, flash-attention style: keys are visited in tiles, each head keeps its running
/// maximum score, the sum of exponentials and the weighted sum of values, and rescales them when a tile raises the
/// maximum. Scratch is therefore a few tiles per worker whatever the context length, and an f16 cache is widened
/// one tile at a time. The loops over a tile are <see cref="AttentionKernels"/>.
/// </para>
/// <para>
/// When the batch has too few (row, KV head) pairs to keep every worker busy — decode has one row — each pair's
/// keys are split into chunks (flash-decoding): a chunk leaves its partial (maximum, sum, weighted values) per head
/// in a preallocated slot, and whichever worker finishes a pair's last chunk merges the pair's slots.
/// </para>
/// </summary>
internal sealed class AttentionJob : ParallelJob
{
    private const int Tile = 128;

    // Rows of one sequence attended together (a prefill's consecutive rows): each tile of keys and values is read,
    // and an f16 cache's widened, once for all of them instead of once per row.
    internal const int BlockRows = 16;

    // Split keys when there are fewer (row, KV head) pairs than this many per thread …
    private const int SplitBelowPairsPerThread = 4;

    // … into about this many chunks per thread, of at least MinChunkKeys keys.
    private const int ChunksPerThread = 8;
    private const int MinChunkKeys = 64;

    private readonly int _threads;
    private readonly int _groupSize, _headDim;
    private readonly Scratch[] _scratch; // per worker
    private ForwardBatch _batch = null!;
    private float[] _q = null!;          // (rows, n_head · head_dim)
    private float[] _output = null!;     // (rows, n_head · head_dim)
    private int _layer, _heads, _kvHeads;
    private float _scale;
    private int _next;

    // The current split (chunkKeys 0: none, one item per pair). Grown, never shrunk: steady state allocates nothing.
    private int _items, _chunkKeys;
    private int[] _firstItem = new int[1]; // (rows + 1) first item of each row; a row's items are chunk-major
    private int[] _blockStart = new int[1]; // (blocks + 1) first row of each block of rows sharing a cache (no split)
    private int _blocks;
    private int[] _pending = [];           // (rows · n_head_kv) chunks of the pair not finished yet
    private float[] _partials = [];        // (items, SlotLength) accumulators, maxima and sums per head

    public AttentionJob(int threads, int groupSize, int headDim)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        (_threads, _groupSize, _headDim) = (threads, groupSize, headDim);
        _scratch = new Scratch[threads];
        for (var i = 0; i < threads; i++)
            _scratch[i] = new Scratch(groupSize, headDim);
    }

    /// <summary>
    /// Keys per chunk when splitting: null (the default) decides from the batch, 0 never splits, a positive count
    /// always splits each row's keys into the fewest equal chunks of at most that many keys. Tests pin it; the engine
    /// leaves it alone.
    /// </summary>
    internal int? ChunkKeys { get; set; }

    /// <summary>Work items of the last <see cref="Set"/>: (block of rows, KV head) pairs, or (row, KV head) chunks when split.</summary>
    internal int Items => _items;

    private int SlotLength => _groupSize * (_headDim + 2);

    public void Set(ForwardBatch batch, int layer, float[] q, float[] output, int heads, int groupSize, int headDim, float scale)
    {
        if (groupSize != _groupSize || headDim != _headDim)
            throw new ArgumentException($"This job was built for groups of {_groupSize} heads of {_headDim}, not {groupSize} of {headDim}.");
        (_batch, _layer, _q, _output) = (batch, layer, q, output);
        (_heads, _kvHeads, _scale) = (heads, heads / groupSize, scale);
        _next = 0;
        Plan();
    }

    /// <summary>Multiply-adds of the whole job, to decide whether waking the pool is worth it.</summary>
    public long Work()
    {
        long work = 0;
        foreach (var position in _batch.Positions)
            work += (position + 1L) * _heads * _headDim * 2;
        return work;
    }

    public override void Execute(int worker, int workerCount)
    {
        var scratch = _scratch[worker];
        while (true)
        {
            var item = Interlocked.Increment(ref _next) - 1;
            if (item >= _items)
                return;
            if (_chunkKeys == 0)
                AttendBlock(item, scratch);
            else
                AttendChunk(item, scratch);
        }
    }

    /// <summary>Chooses the chunk length and numbers the work items; sizes the partial slots.</summary>
    private void Plan()
    {
        var rows = _batch.Count;
        var pairs = rows * _kvHeads;
        var positions = _batch.Positions;
        var chunkKeys = ChunkKeys ?? 0;
        if (ChunkKeys is null && pairs < SplitBelowPairsPerThread * _threads && _threads > 1)
        {
            long keys = 0;
            foreach (var position in positions)
                keys += position + 1L;
            var target = ChunksPerThread * _threads;
            chunkKeys = (int)Math.Max(MinChunkKeys, (keys * _kvHeads + target - 1) / target);
        }

        if (chunkKeys > 0)
        {
            if (_firstItem.Length < rows + 1)
                _firstItem = new int[rows + 1];
            if (_pending.Length < pairs)
                _pending = new int[pairs];
            var items = 0;
            for (var row = 0; row < rows; row++)
            {
                _firstItem[row] = items;
                var chunks = (positions[row] + chunkKeys) / chunkKeys; // ⌈(position + 1) / chunkKeys⌉
                _pending.AsSpan(row * _kvHeads, _kvHeads).Fill(chunks);
                items += chunks * _kvHeads;
            }
            _firstItem[rows] = items;
            if (items > pairs) // else every pair is a single chunk: nothing to merge
            {
                if (_partials.Length < (long)items * SlotLength)
                    _partials = new float[items * SlotLength];
                (_items, _chunkKeys) = (items, chunkKeys);
                return;
            }
        }
        PlanBlocks(rows);
        (_items, _chunkKeys) = (_blocks * _kvHeads, 0);
    }

    /// <summary>Cuts the rows into blocks of up to <see cref="BlockRows"/> consecutive rows of one cache.</summary>
    private void PlanBlocks(int rows)
    {
        if (_blockStart.Length < rows + 1)
            _blockStart = new int[rows + 1];
        var blocks = 0;
        for (var row = 0; row < rows;)
        {
            _blockStart[blocks++] = row;
            var cache = _batch.CacheOf(row);
            var end = row + 1;
            while (end < rows && end - row < BlockRows && ReferenceEquals(_batch.CacheOf(end), cache))
                end++;
            row = end;
        }
        _blockStart[blocks] = rows;
        _blocks = blocks;
    }

    /// <summary>
    /// A block of rows for one KV head, the blocks furthest into their sequence first so that the last items to start
    /// are short: every row's keys, each tile read once for the block.
    /// </summary>
    private void AttendBlock(int item, Scratch scratch)
    {
        int block = _blocks - 1 - item / _kvHeads, kvHead = item % _kvHeads;
        int first = _blockStart[block], end = _blockStart[block + 1];
        var seen = 0;
        for (var row = first; row < end; row++)
            seen = Math.Max(seen, _batch.Positions[row] + 1);
        var states = scratch.States.AsSpan(0, (end - first) * SlotLength);
        Attend(first, end, kvHead, 0, seen, states, scratch);
        for (var row = first; row < end; row++)
        {
            var state = StateOf(states, row - first);
            var output = _output.AsSpan(row * _heads * _headDim + kvHead * _groupSize * _headDim, _groupSize * _headDim);
            for (var g = 0; g < _groupSize; g++)
                TensorPrimitives.Divide(state.Accumulator(g), state.Sum[g], output.Slice(g * _headDim, _headDim));
        }
    }

    /// <summary>One chunk of a pair's keys into its slot; the pair's last chunk to finish merges them all.</summary>
    private void AttendChunk(int item, Scratch scratch)
    {
        var row = 0;
        while (item >= _firstItem[row + 1])
            row++;
        var local = item - _firstItem[row];
        int chunk = local / _kvHeads, kvHead = local % _kvHeads;
        var chunks = (_firstItem[row + 1] - _firstItem[row]) / _kvHeads;

        // The row's keys in equal chunks (of at most chunkKeys), so that no item is a short remainder.
        var seen = _batch.Positions[row] + 1;
        int from = (int)((long)chunk * seen / chunks), to = (int)((chunk + 1L) * seen / chunks);
        Attend(row, row + 1, kvHead, from, to, _partials.AsSpan(item * SlotLength, SlotLength), scratch);
        // The decrement publishes this slot; the worker that takes the count to zero sees every slot of the pair.
        if (Interlocked.Decrement(ref _pending[row * _kvHeads + kvHead]) == 0)
            Merge(row, kvHead);
    }

    /// <summary>Softmax over all chunks of a pair: each chunk's sum and values are rescaled to the overall maximum.</summary>
    private void Merge(int row, int kvHead)
    {
        var first = _firstItem[row] + kvHead;
        var chunks = (_firstItem[row + 1] - _firstItem[row]) / _kvHeads;
        var output = _output.AsSpan(row * _heads * _headDim + kvHead * _groupSize * _headDim, _groupSize * _headDim);
        for (var g = 0; g < _groupSize; g++)
        {
            var max = float.NegativeInfinity;
            for (var c = 0; c < chunks; c++)
                max = Math.Max(max, Slot(first + c * _kvHeads).Max[g]);
            var sum = 0f;
            for (var c = 0; c < chunks; c++)
            {
                var slot = Slot(first + c * _kvHeads);
                sum += slot.Sum[g] * MathF.Exp(slot.Max[g] - max);
            }

            var head = output.Slice(g * _headDim, _headDim);
            for (var c = 0; c < chunks; c++)
            {
                var slot = Slot(first + c * _kvHeads);
                var weight = MathF.Exp(slot.Max[g] - max) / sum;
                if (c == 0)
                    TensorPrimitives.Multiply(slot.Accumulator(g), weight, head);
                else
                    TensorPrimitives.MultiplyAdd(slot.Accumulator(g), weight, head, head);
            }
        }
    }

    private State Slot(int item) => StateOf(_partials, item);

    /// <summary>
    /// Keys <paramref name="from"/>…<paramref name="to"/> − 1 of one KV head for rows <paramref name="first"/>…
    /// <paramref name="end"/> − 1 (one cache), each row seeing only its own positions, into their states (one
    /// <see cref="SlotLength"/> each in <paramref name="states"/>, reset first).
    /// </summary>
    private void Attend(int first, int end, int kvHead, int from, int to, Span<float> states, Scratch s)
    {
        var cache = _batch.CacheOf(first);
        var positions = _batch.Positions;
        int headDim = _headDim, group = _groupSize, kvOffset = kvHead * headDim;
        for (var row = first; row < end; row++)
            StateOf(states, row - first).Reset();

        for (var t0 = from; t0 < to; t0 += Tile)
        {
            var n = Math.Min(Tile, to - t0);

            // Scores of the tile's keys for each row and head, then the tile's softmax weights against the running maximum.
            var keys = TileRows(cache, keys: true, to, t0, n, kvOffset, s.Keys, out var keyStride);
            for (var row = first; row < end; row++)
            {
                var m = Math.Min(n, positions[row] + 1 - t0);
                if (m <= 0)
                    continue;
                var state = StateOf(states, row - first);
                var queries = _q.AsSpan(row * _heads * headDim + kvHead * group * headDim, group * headDim);
                for (var g = 0; g < group; g++)
                {
                    var scores = TileScores(s, row - first, g, m);
                    AttentionKernels.Scores(queries.Slice(g * headDim, headDim), keys, keyStride, _scale, scores);

                    // Raise the running maximum if this tile holds a larger score, rescaling what was accumulated.
                    var max = Math.Max(state.Max[g], TensorPrimitives.Max(scores));
                    if (max > state.Max[g])
                    {
                        var correction = MathF.Exp(state.Max[g] - max); // 0 for the first tile (−∞)
                        state.Sum[g] *= correction;
                        TensorPrimitives.Multiply(state.Accumulator(g), correction, state.Accumulator(g));
                        state.Max[g] = max;
                    }
                    TensorPrimitives.Subtract(scores, max, scores);
                    TensorPrimitives.Exp(scores, scores);
                    state.Sum[g] += TensorPrimitives.Sum(scores);
                }
            }

            var values = TileRows(cache, keys: false, to, t0, n, kvOffset, s.Values, out var valueStride);
            for (var row = first; row < end; row++)
            {
                var m = Math.Min(n, positions[row] + 1 - t0);
                if (m <= 0)
                    continue;
                var state = StateOf(states, row - first);
                for (var g = 0; g < group; g++)
                    AttentionKernels.Accumulate(values, valueStride, TileScores(s, row - first, g, m), state.Accumulator(g));
            }
        }
    }

    /// <summary>The first <paramref name="count"/> of a tile's scores of head <paramref name="g"/> of the block's row <paramref name="index"/>.</summary>
    private Span<float> TileScores(Scratch s, int index, int g, int count) => s.Scores.AsSpan((index * _groupSize + g) * Tile, count);

    private State StateOf(Span<float> states, int index) => new(states.Slice(index * SlotLength, SlotLength), _groupSize, _headDim);

    /// <summary>
    /// Positions <paramref name="t0"/>…+<paramref name="n"/> (all below <paramref name="seen"/>) of one KV head's keys
    /// or values: the f32 cache rows themselves (a row apart), or an f16 cache's rows widened into
    /// <paramref name="widened"/> (head_dim apart).
    /// </summary>
    private ReadOnlySpan<float> TileRows(KvCache cache, bool keys, int seen, int t0, int n, int kvOffset, float[] widened, out int rowStride)
    {
        var stride = cache.RowLength;
        if (cache.Type == KvCacheType.F16)
        {
            var source = keys ? cache.KeysF16(_layer, seen) : cache.ValuesF16(_layer, seen);
            AttentionKernels.Widen(source[(t0 * stride + kvOffset)..], stride, n, _headDim, widened);
            rowStride = _headDim;
            return widened;
        }
        rowStride = stride;
        return (keys ? cache.KeysF32(_layer, seen) : cache.ValuesF32(_layer, seen))[(t0 * stride + kvOffset)..];
    }

    /// <summary>
    /// Running softmax state of the heads of one group over a run of keys, laid over one block of floats:
    /// (group, head_dim) weighted sums of values, then (group) maxima, then (group) sums of exponentials.
    /// </summary>
    private readonly ref struct State(Span<float> block, int groupSize, int headDim)
    {
        private readonly Span<float> _block = block;

        public Span<float> Max => _block.Slice(groupSize * headDim, groupSize);

        public Span<float> Sum => _block.Slice(groupSize * (headDim + 1), groupSize);

        public Span<float> Accumulator(int head) => _block.Slice(head * headDim, headDim);

        public void Reset()
        {
            _block[..(groupSize * headDim)].Clear();
            Max.Fill(float.NegativeInfinity);
            Sum.Clear();
        }
    }

    /// <summary>One worker's states for a block of rows and its tile buffers.</summary>
    private sealed class Scratch(int groupSize, int headDim)
    {
        public readonly float[] Scores = new float[BlockRows * groupSize * Tile];
        public readonly float[] Keys = new float[Tile * headDim];
        public readonly float[] Values = new float[Tile * headDim];
        public readonly float[] States = new float[BlockRows * groupSize * (headDim + 2)];
    }
}
