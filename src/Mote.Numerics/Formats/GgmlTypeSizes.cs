using System.Collections.Frozen;

namespace Mote.Numerics.Formats;

/// <summary>
/// Storage geometry of every ggml type: how many elements one block holds and how many bytes it takes
/// (ggml's <c>blck_size</c> / <c>type_size</c>). Used to size tensors in files, including types Mote cannot
/// compute with, so that a file holding them is still read and described correctly.
/// </summary>
public static class GgmlTypeSizes
{
    private static readonly FrozenDictionary<GgmlType, (int BlockSize, int TypeSize)> s_sizes =
        new Dictionary<GgmlType, (int, int)>
        {
            [GgmlType.F32] = (1, 4),
            [GgmlType.F16] = (1, 2),
            [GgmlType.BF16] = (1, 2),
            [GgmlType.F64] = (1, 8),
            [GgmlType.I8] = (1, 1),
            [GgmlType.I16] = (1, 2),
            [GgmlType.I32] = (1, 4),
            [GgmlType.I64] = (1, 8),
            [GgmlType.Q4_0] = (32, 18),
            [GgmlType.Q4_1] = (32, 20),
            [GgmlType.Q5_0] = (32, 22),
            [GgmlType.Q5_1] = (32, 24),
            [GgmlType.Q8_0] = (32, 34),
            [GgmlType.Q8_1] = (32, 36),
            [GgmlType.Q2_K] = (256, 84),
            [GgmlType.Q3_K] = (256, 110),
            [GgmlType.Q4_K] = (256, 144),
            [GgmlType.Q5_K] = (256, 176),
            [GgmlType.Q6_K] = (256, 210),
            [GgmlType.Q8_K] = (256, 292),
            [GgmlType.IQ2_XXS] = (256, 66),
            [GgmlType.IQ2_XS] = (256, 74),
            [GgmlType.IQ3_XXS] = (256, 98),
            [GgmlType.IQ1_S] = (256, 50),
            [GgmlType.IQ4_NL] = (32, 18),
            [GgmlType.IQ3_S] = (256, 110),
            [GgmlType.IQ2_S] = (256, 82),
            [GgmlType.IQ4_XS] = (256, 136),
            [GgmlType.IQ1_M] = (256, 56),
            [GgmlType.TQ1_0] = (256, 54),
            [GgmlType.TQ2_0] = (256, 66),
            [GgmlType.MXFP4] = (32, 17),
        }.ToFrozenDictionary();

    /// <summary>True when <paramref name="type"/> is a ggml type whose storage size is known.</summary>
    public static bool IsKnown(GgmlType type) => s_sizes.ContainsKey(type);

    /// <summary>Elements per block (1 for plain float and integer types).</summary>
    public static int BlockSize(GgmlType type) => Get(type).BlockSize;

    /// <summary>Bytes per block.</summary>
    public static int TypeSize(GgmlType type) => Get(type).TypeSize;

    /// <summary>
    /// Bytes taken by a row of <paramref name="elements"/> elements; the caller has checked that the count is
    /// a multiple of the block size.
    /// </summary>
    public static long RowBytes(GgmlType type, long elements)
    {
        var (blockSize, typeSize) = Get(type);
        return elements / blockSize * typeSize;
    }

    private static (int BlockSize, int TypeSize) Get(GgmlType type) =>
        s_sizes.TryGetValue(type, out var sizes)
            ? sizes
            : throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown ggml tensor type.");
}
