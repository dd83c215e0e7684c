using Mote.Numerics.Formats;
using Mote.Numerics.Kernels;
using Mote.Numerics.Tests.Formats;

namespace Mote.Numerics.Tests.Kernels;

public sealed unsafe class MatVecTests
{
    private const int Rows = 7;

    public static TheoryData<GgmlType> Types => DotTests.Types;

    [Theory]
    [MemberData(nameof(Types))]
    public void Multiply_RandomMatrix_MatchesNaiveProduct(GgmlType ggmlType)
    {
        var (type, cols, weights, x) = Setup(ggmlType, seed: 1);
        var expected = Naive(type, weights, cols, x);
        var y = new float[Rows];

        MatVec.Multiply(type, weights, Rows, cols, x, y);

        for (var r = 0; r < Rows; r++)
            Assert.True(Math.Abs(y[r] - expected[r]) <= 1e-5 * Magnitude(type, weights, cols, x, r), $"{type.Name} row {r}: {y[r]} vs {expected[r]}");
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Multiply_PointerAndNintOverloads_EqualSpanOverload(GgmlType ggmlType)
    {
        var (type, cols, weights, x) = Setup(ggmlType, seed: 2);
        var fromSpan = new float[Rows];
        var fromPointer = new float[Rows];
        var fromNint = new float[Rows];
        MatVec.Multiply(type, weights, Rows, cols, x, fromSpan);
        fixed (byte* p = weights)
        {
            MatVec.Multiply(type, p, Rows, cols, x, fromPointer);
            MatVec.Multiply(type, (nint)p, Rows, cols, x, fromNint);
        }
        Assert.Equal(fromSpan, fromPointer);
        Assert.Equal(fromSpan, fromNint);
    }

    [Fact]
    public void Multiply_RowRange_WritesOnlyThoseRows()
    {
        var (type, cols, weights, x) = Setup(GgmlType.Q4_K, seed: 3);
        var full = new float[Rows];
        MatVec.Multiply(type, weights, Rows, cols, x, full);

        var parts = new float[Rows];
        parts.AsSpan().Fill(float.NaN);
        MatVec.Multiply(type, weights, Rows, cols, x, parts, 2, 5);
        for (var r = 0; r < Rows; r++)
        {
            if (r is >= 2 and < 5)
                Assert.Equal(full[r], parts[r]);
            else
                Assert.True(float.IsNaN(parts[r]), $"row {r} outside the range was written");
        }

        fixed (byte* p = weights)
        {
            MatVec.Multiply(type, p, Rows, cols, x, parts, 0, 2);
            MatVec.Multiply(type, p, Rows, cols, x, parts, 5, Rows);
        }
        Assert.Equal(full, parts);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void MultiplyBatch_EachVector_EqualsMultiplyExactly(GgmlType ggmlType)
    {
        var (type, cols, weights, _) = Setup(ggmlType, seed: 4);
        const int count = 3;
        var x = DotTests.RandomFloats(count * cols, new Random(5));
        var batch = new float[count * Rows];
        var fromPointer = new float[count * Rows];

        MatVec.MultiplyBatch(type, weights, Rows, cols, x, count, batch);
        fixed (byte* p = weights)
            MatVec.MultiplyBatch(type, p, Rows, cols, x, count, fromPointer);

        for (var v = 0; v < count; v++)
        {
            var single = new float[Rows];
            MatVec.Multiply(type, weights, Rows, cols, x.AsSpan(v * cols, cols), single);
            Assert.Equal(single, batch.AsSpan(v * Rows, Rows).ToArray());
        }
        Assert.Equal(batch, fromPointer);
    }

    [Fact]
    public void MultiplyBatch_RowRange_WritesOnlyThoseRowsOfEachVector()
    {
        var (type, cols, weights, _) = Setup(GgmlType.Q8_0, seed: 6);
        const int count = 2;
        var x = DotTests.RandomFloats(count * cols, new Random(7));
        var full = new float[count * Rows];
        MatVec.MultiplyBatch(type, weights, Rows, cols, x, count, full);

        var parts = new float[count * Rows];
        parts.AsSpan().Fill(float.NaN);
        MatVec.MultiplyBatch(type, weights, Rows, cols, x, count, parts, 3, 6);
        for (var v = 0; v < count; v++)
        {
            for (var r = 0; r < Rows; r++)
            {
                var i = v * Rows + r;
                if (r is >= 3 and < 6)
                    Assert.Equal(full[i], parts[i]);
                else
                    Assert.True(float.IsNaN(parts[i]), $"vector {v} row {r} outside the range was written");
            }
        }
    }

    [Fact]
    public void Multiply_WeightsTooShort_Throws()
    {
        var (type, cols, weights, x) = Setup(GgmlType.Q4_0, seed: 8);
        Assert.Throws<ArgumentException>(() => MatVec.Multiply(type, weights.AsSpan(1), Rows, cols, x, new float[Rows]));
    }

    [Fact]
    public void Multiply_BadRowRange_Throws()
    {
        var (type, cols, weights, x) = Setup(GgmlType.Q4_0, seed: 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => MatVec.Multiply(type, weights, Rows, cols, x, new float[Rows], 3, Rows + 1));
    }

    private static (TensorType Type, int Cols, byte[] Weights, float[] X) Setup(GgmlType ggmlType, int seed)
    {
        var type = TensorTypes.Get(ggmlType);
        var random = new Random(seed);
        var cols = 2 * Math.Max(type.BlockSize, 256) + (type.BlockSize == 1 ? 3 : type.BlockSize == 32 ? 32 : 0);
        var rowBytes = (int)type.RowBytes(cols);
        var weights = new byte[Rows * rowBytes];
        for (var r = 0; r < Rows; r++)
            type.Quantize(DotTests.RandomFloats(cols, random), weights.AsSpan(r * rowBytes, rowBytes));
        return (type, cols, weights, DotTests.RandomFloats(cols, random));
    }

    private static double[] Naive(TensorType type, byte[] weights, int cols, float[] x)
    {
        var w = new float[Rows * cols];
        type.Dequantize(weights, w);
        var y = new double[Rows];
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < cols; c++)
                y[r] += (double)w[r * cols + c] * x[c];
        }
        return y;
    }

    private static double Magnitude(TensorType type, byte[] weights, int cols, float[] x, int r)
    {
        var w = new float[cols];
        var rowBytes = (int)type.RowBytes(cols);
        type.Dequantize(weights.AsSpan(r * rowBytes, rowBytes), w);
        double sum = 0;
        for (var c = 0; c < cols; c++)
            sum += Math.Abs((double)w[c] * x[c]);
        return sum;
    }
}
