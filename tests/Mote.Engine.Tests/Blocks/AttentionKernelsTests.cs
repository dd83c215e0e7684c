using Mote.Engine.Blocks;

namespace Mote.Engine.Tests.Blocks;

/// <summary>
/// Every width of the attention tile loops against its scalar reference (an unaccelerated width runs emulated, so
/// all of them are checked on any machine).
/// </summary>
public sealed class AttentionKernelsTests
{
    private const double Tolerance = 1e-5;

    private delegate void ScoresKernel(ReadOnlySpan<float> query, ReadOnlySpan<float> keys, int stride, float scale, Span<float> scores);

    private delegate void AccumulateKernel(ReadOnlySpan<float> values, int stride, ReadOnlySpan<float> weights, Span<float> accumulator);

    private delegate void WidenKernel(ReadOnlySpan<Half> source, int stride, int rows, int headDim, Span<float> destination);

    private static readonly int[] s_rowCounts = [0, 1, 2, 3, 17, 127, 128];

    public static TheoryData<int, int> WidthsAndHeadDims() => new()
    {
        { 512, 16 }, { 512, 48 }, { 512, 64 }, { 512, 128 },
        { 256, 8 }, { 256, 40 }, { 256, 64 }, { 256, 72 }, { 256, 128 },
        { 128, 4 }, { 128, 20 }, { 128, 64 },
        { 0, 18 }, { 0, 64 },
    };

    [Theory]
    [MemberData(nameof(WidthsAndHeadDims))]
    public void Scores_EveryWidth_MatchesReference(int width, int headDim)
    {
        ScoresKernel kernel = width switch
        {
            512 => AttentionKernels.Scores512,
            256 => AttentionKernels.Scores256,
            128 => AttentionKernels.Scores128,
            _ => AttentionKernels.Scores,
        };
        var random = new Random(headDim);
        foreach (var rows in s_rowCounts)
        {
            var stride = 3 * headDim + 5;
            var keys = RandomArray(random, Math.Max(0, (rows - 1) * stride + headDim));
            var query = RandomArray(random, headDim);
            float[] expected = new float[rows], actual = new float[rows];

            AttentionKernels.ScoresReference(query, keys, stride, 0.125f, expected);
            kernel(query, keys, stride, 0.125f, actual);

            for (var t = 0; t < rows; t++)
                Assert.True(Math.Abs(actual[t] - expected[t]) <= Tolerance * (1 + Math.Abs(expected[t])), $"{rows} rows, key {t}: {actual[t]} vs {expected[t]}");
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndHeadDims))]
    public void Accumulate_EveryWidth_MatchesReference(int width, int headDim)
    {
        AccumulateKernel kernel = width switch
        {
            512 => AttentionKernels.Accumulate512,
            256 => AttentionKernels.Accumulate256,
            128 => AttentionKernels.Accumulate128,
            _ => AttentionKernels.Accumulate,
        };
        var random = new Random(headDim + 1);
        foreach (var rows in s_rowCounts)
        {
            var stride = 2 * headDim + 3;
            var values = RandomArray(random, Math.Max(0, (rows - 1) * stride + headDim));
            var weights = RandomArray(random, rows);
            var expected = RandomArray(random, headDim); // accumulates onto what is there
            var actual = expected.ToArray();

            AttentionKernels.AccumulateReference(values, stride, weights, expected);
            kernel(values, stride, weights, actual);

            for (var d = 0; d < headDim; d++)
                Assert.True(Math.Abs(actual[d] - expected[d]) <= Tolerance * (1 + Math.Abs(expected[d])), $"{rows} rows, dim {d}: {actual[d]} vs {expected[d]}");
        }
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    [InlineData(0)]
    public void Widen_EveryHalf_MatchesTheCast(int width)
    {
        WidenKernel kernel = width switch
        {
            512 => AttentionKernels.Widen512,
            256 => AttentionKernels.Widen256,
            _ => AttentionKernels.Widen,
        };
        // All 65,536 bit patterns as 1,024 rows of 64, each row 80 apart in the source.
        const int headDim = 64, stride = 80, rows = 65536 / headDim;
        var source = new Half[(rows - 1) * stride + headDim];
        for (var i = 0; i < 65536; i++)
            source[i / headDim * stride + i % headDim] = BitConverter.UInt16BitsToHalf((ushort)i);
        var actual = new float[rows * headDim];

        kernel(source, stride, rows, headDim, actual);

        for (var i = 0; i < 65536; i++)
        {
            var expected = (float)BitConverter.UInt16BitsToHalf((ushort)i);
            if (float.IsNaN(expected))
                Assert.True(float.IsNaN(actual[i]), $"0x{i:X4}: {actual[i]} is not NaN");
            else
                Assert.True(BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(actual[i]), $"0x{i:X4}: {actual[i]} vs {expected}");
        }
    }

    [Fact]
    public void Scores_RowsOverrunTheSpan_Throws()
    {
        var keys = new float[2 * 64 + 63]; // three rows 64 apart would need 192

        Assert.Throws<ArgumentOutOfRangeException>(() => AttentionKernels.Scores512(new float[64], keys, 64, 1f, new float[3]));
    }

    private static float[] RandomArray(Random random, int length) =>
        [.. Enumerable.Range(0, length).Select(_ => random.NextSingle() * 2 - 1)];
}
