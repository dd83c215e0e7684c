using Mote.Numerics.Threading;

namespace Mote.Numerics.Kernels;

/// <summary>
/// One <see cref="MatMul"/> call on the worker pool, in two phases: preparing (quantizing) every token's
/// activations, then the product split over chunks of rows. A call may cover up to <see cref="MaxSegments"/>
/// weight matrices of one type that share the input (Q, K and V; gate and up): their chunks are claimed from one
/// sequence, so the three products cost one round trip of the pool instead of three. Chunks are handed out
/// dynamically, so a thread slowed by something else does not hold the others up.
/// </summary>
internal sealed unsafe class MatMulJob : ParallelJob
{
    public const int MaxSegments = 3;

    // Tokens prepared per claim: the GEMMs pack eight tokens' values into each vector of a column, so eight
    // consecutive tokens share cache lines; claimed one by one, two threads wrote the same lines by turns.
    private const int PrepareTokens = 8;

    // Decode chunks stream at least this many weight bytes: each chunk starts cold for the hardware prefetcher, and
    // a small model's 576-row matrices cut into sixteen 22 KB chunks decoded 3–8% slower (smollm2 q8_0, q4_k_m).
    private const long DecodeChunkBytes = 128 << 10;
    private readonly MatMulArgs[] _segments = new MatMulArgs[MaxSegments];
    private readonly int[] _chunkRows = new int[MaxSegments];
    private readonly int[] _firstChunk = new int[MaxSegments + 1]; // segment s owns chunks [_firstChunk[s], _firstChunk[s + 1])
    private MatMulKernel _kernel = null!;
    private MatMulContext _context = null!;
    private int _segmentCount;
    private bool _preparing;
    private int _next;

    /// <summary>Sets up the activation phase: token t is quantized by whichever thread claims it.</summary>
    public void SetPrepare(MatMulKernel kernel, in MatMulArgs args)
    {
        _kernel = kernel;
        _segments[0] = args;
        _preparing = true;
        _next = 0;
    }

    /// <summary>Starts a product phase; <see cref="AddSegment"/> then adds each matrix.</summary>
    public void BeginCompute(MatMulKernel kernel, MatMulContext context)
    {
        _kernel = kernel;
        _context = context;
        _preparing = false;
        _segmentCount = 0;
        _next = 0;
    }

    /// <summary>Adds a matrix to the product phase, cut into chunks of a multiple of the kernel's row tile.</summary>
    public void AddSegment(in MatMulArgs args, int threads)
    {
        var s = _segmentCount++;
        _segments[s] = args;
        // About eight chunks per thread balances load without making chunks so small that their overhead shows.
        var tile = _kernel.RowTile;
        var chunk = Math.Max(tile, args.Rows / (threads * 8));
        if (args.Tokens == 1)
            chunk = (int)Math.Max(chunk, (DecodeChunkBytes + args.RowBytes - 1) / Math.Max(1, args.RowBytes));
        else
            chunk = (int)Math.Min(chunk, Math.Max(tile, _kernel.MaxChunkBytes(args.Tokens) / Math.Max(1, args.RowBytes)));
        _chunkRows[s] = (chunk + tile - 1) / tile * tile;
        _firstChunk[s + 1] = _firstChunk[s] + (args.Rows + _chunkRows[s] - 1) / _chunkRows[s];
    }

    public override void Execute(int worker, int workerCount)
    {
        if (_preparing)
        {
            var args = _segments[0];
            while (true)
            {
                var first = (Interlocked.Increment(ref _next) - 1) * PrepareTokens;
                if (first >= args.Tokens)
                    return;
                var end = Math.Min(args.Tokens, first + PrepareTokens);
                for (var t = first; t < end; t++)
                    _kernel.Prepare(args, t);
            }
        }

        var scratch = _context.Scratch(worker);
        var chunks = _firstChunk[_segmentCount];
        while (true)
        {
            var c = Interlocked.Increment(ref _next) - 1;
            if (c >= chunks)
                return;
            var s = 0;
            while (c >= _firstChunk[s + 1])
                s++;
            var start = (c - _firstChunk[s]) * _chunkRows[s];
            _kernel.Compute(_segments[s], start, Math.Min(_segments[s].Rows, start + _chunkRows[s]), scratch);
        }
    }
}
