namespace Mote.Numerics.Kernels.Quantized;

/// <summary>
/// Builds the permute indices that gather a group of four weight blocks into <see cref="Q8x4"/> order: byte
/// <c>4·(4m + k) + e</c> of a 64-byte half comes from block k's quant byte <c>first + 4m + e</c>.
/// </summary>
internal static class GroupIndex
{
    /// <summary>
    /// Indices for a two-source byte permute (<c>vpermt2b</c>) of block bytes at <c>blockBytes · k + first + 4m + e</c>;
    /// the first source holds bytes [<paramref name="firstLoad"/>, +64), the second [<paramref name="secondLoad"/>, +64).
    /// </summary>
    public static byte[] Bytes(int blockBytes, int first, int firstLoad, int secondLoad)
    {
        var index = new byte[64];
        for (var m = 0; m < 4; m++)
        {
            for (var k = 0; k < 4; k++)
            {
                for (var e = 0; e < 4; e++)
                {
                    var source = blockBytes * k + first + 4 * m + e;
                    var i = source - firstLoad is >= 0 and < 64 ? source - firstLoad : 64 + source - secondLoad;
                    if (i is < 0 or > 127 || (i >= 64 && source - secondLoad >= 64))
                        throw new InvalidOperationException($"Byte {source} is outside both loads.");
                    index[4 * (4 * m + k) + e] = (byte)i;
                }
            }
        }
        return index;
    }

    /// <summary>
    /// Indices for a two-source 16-bit permute that puts block k's fp16 scale (at byte <c>blockBytes · k + offset</c>)
    /// in both halves of every 32-bit lane j with j mod 4 = k.
    /// </summary>
    public static short[] Scales(int blockBytes, int offset, int firstLoad, int secondLoad)
    {
        var index = new short[32];
        for (var j = 0; j < 16; j++)
        {
            var source = blockBytes * (j % 4) + offset;
            var i = source - firstLoad is >= 0 and < 63 ? (source - firstLoad) / 2 : 32 + (source - secondLoad) / 2;
            if ((source - firstLoad) % 2 != 0 || (i >= 32 && (source - secondLoad) % 2 != 0))
                throw new InvalidOperationException($"Scale at byte {source} is not 16-bit aligned in its load.");
            index[2 * j] = (short)i;
            index[2 * j + 1] = (short)i;
        }
        return index;
    }
}
