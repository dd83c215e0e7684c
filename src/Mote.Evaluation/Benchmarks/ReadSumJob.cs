using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Mote.Numerics.Threading;

namespace Mote.Evaluation.Benchmarks;

/// <summary>
/// One pass of the bandwidth probe: each worker reads (or, when <see cref="Fill"/> is set, writes) a contiguous
/// share of the buffer. Reads are summed into four independent vector accumulators so the loop is bound by loads,
/// not by an add chain, and each worker's sum is stored so the reads cannot be optimized away.
/// </summary>
internal sealed unsafe class ReadSumJob(byte* buffer, long length, int workers) : ParallelJob
{
    /// <summary>Bytes consumed per loop step by the widest path (4 × 64); shares are multiples of it.</summary>
    public const int LineBytes = 256;

    // Spans are int-sized; shares of huge buffers are filled in chunks.
    private const int FillChunkBytes = 1 << 30;

    // One sum per worker, 64 bytes apart so workers never write the same cache line.
    private readonly ulong[] _sums = new ulong[workers * 8];

    public bool Fill { get; set; }

    public override void Execute(int worker, int workerCount)
    {
        var lines = length / LineBytes;
        var first = lines * worker / workerCount * LineBytes;
        var end = lines * (worker + 1) / workerCount * LineBytes;
        if (Fill)
        {
            for (var at = first; at < end; at += FillChunkBytes)
                new Span<byte>(buffer + at, (int)Math.Min(FillChunkBytes, end - at)).Fill((byte)(worker + 1));
            return;
        }
        _sums[worker * 8] = Sum(buffer + first, end - first);
    }

    // Bypasses tiering: tier-0 code would not inline the vector operations and measure the JIT, not the memory.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong Sum(byte* p, long bytes)
    {
        var end = p + bytes;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<ulong> a = default, b = default, c = default, d = default;
            for (; p < end; p += 256)
            {
                a += Vector512.Load((ulong*)p);
                b += Vector512.Load((ulong*)(p + 64));
                c += Vector512.Load((ulong*)(p + 128));
                d += Vector512.Load((ulong*)(p + 192));
            }
            return Vector512.Sum(a + b + c + d);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<ulong> a = default, b = default, c = default, d = default;
            for (; p < end; p += 128)
            {
                a += Vector256.Load((ulong*)p);
                b += Vector256.Load((ulong*)(p + 32));
                c += Vector256.Load((ulong*)(p + 64));
                d += Vector256.Load((ulong*)(p + 96));
            }
            return Vector256.Sum(a + b + c + d);
        }
        Vector128<ulong> e = default, f = default, g = default, h = default;
        for (; p < end; p += 64)
        {
            e += Vector128.Load((ulong*)p);
            f += Vector128.Load((ulong*)(p + 16));
            g += Vector128.Load((ulong*)(p + 32));
            h += Vector128.Load((ulong*)(p + 48));
        }
        return Vector128.Sum(e + f + g + h);
    }
}
