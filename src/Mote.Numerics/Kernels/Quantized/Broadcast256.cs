using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// 32 bytes in both 256-bit halves of a vector. <c>Vector512.Create(Vector256.Load(p))</c> compiles (.NET 10) to a
/// round trip through a zeroed stack slot and two <c>vinserti32x8</c>, kept alive across the loop; and
/// <c>Avx512F.BroadcastVector256ToVector512</c> with a folded displacement is encoded with a disp8 scaled for a
/// 16-byte operand while the hardware scales it by 32 (it reads p + 16 at p + 32). A 256-bit load and one
/// in-register 128-bit-lane shuffle avoid both.
/// </summary>
internal static unsafe class Broadcast256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<ushort> Twice(byte* p)
    {
        var v = Vector256.Load(p).AsUInt64().ToVector512Unsafe();
        return Avx512F.Shuffle4x128(v, v, 0b01_00_01_00).AsUInt16();
    }
}
