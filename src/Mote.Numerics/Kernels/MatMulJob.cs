using Mote.Numerics.Threading;

namespace Mote.Numerics.Kernels;

/// <summary>
/// One <see cref="MatMul"/> call on the worker pool, in two phases: preparing (quantizing) every token's
/// activations, then the product split over chunks of rows. Chunks are handed out dynamically, so a thread
/// slowed by something else does not hold the others up.
/// </summary>
internal sealed unsafe class MatMulJob : ParallelJob
{
    private const long ChunkBytes = 256 << 10;
    private MatMulKernel _kernel = null!;
    private MatMulArgs _args;
    private MatMulContext _context = null!;
    private bool _preparing;
    private int _chunkRows;
    private int _next;

    /// <summary>Sets up the activation phase: token t is quantized by whichever thread claims it.</summary>
    public void SetPrepare(MatMulKernel kernel, in MatMulArgs args)
    {
        _kernel = kernel;
        _args = args;
        _preparing = true;
        _next = 0;
    }

    /// <summary>Sets up the product phase over rows in chunks of a multiple of the kernel's row tile.</summary>
    public void SetCompute(MatMulKernel kernel, in MatMulArgs args, MatMulContext context, int threads)
    {
        _kernel = kernel;
        _args = args;
        _context = context;
        _preparing = false;
        _next = 0;
        // About eight chunks per thread balances load without making chunks so small that their overhead shows.
        var tile = kernel.RowTile;
        var chunk = Math.Max(tile, args.Rows / (threads * 8));
        // Prefill passes over a chunk's weights once per block of tokens: keep the chunk within L2 (~256 KB).
        if (args.Tokens > 1)
            chunk = (int)Math.Min(chunk, Math.Max(tile, ChunkBytes / Math.Max(1, args.RowBytes)));
        _chunkRows = (chunk + tile - 1) / tile * tile;
    }

    public override void Execute(int worker, int workerCount)
    {
        if (_preparing)
        {
            while (true)
            {
                var t = Interlocked.Increment(ref _next) - 1;
                if (t >= _args.Tokens)
                    return;
                _kernel.Prepare(_args, t);
            }
        }

        var scratch = _context.Scratch(worker);
        while (true)
        {
            var start = Interlocked.Add(ref _next, _chunkRows) - _chunkRows;
            if (start >= _args.Rows)
                return;
            _kernel.Compute(_args, start, Math.Min(_args.Rows, start + _chunkRows), scratch);
        }
    }
}
