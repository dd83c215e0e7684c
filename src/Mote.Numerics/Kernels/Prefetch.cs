using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels;

/// <summary>
/// Software prefetch for kernels that stream weights they read once (decode): short or interleaved streams leave
/// the hardware prefetcher behind, and a core waiting on it streamed ~15 GB/s where it could take ~23.
/// </summary>
internal static unsafe class Prefetch
{
    /// <summary>Asks for the <paramref name="bytes"/> at <paramref name="start"/> to be brought into L1, a line at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Lines(byte* start, int bytes)
    {
        for (var o = 0; o < bytes; o += 64)
            Sse.Prefetch0(start + o);
    }
}
