using Mote.Numerics.Formats;

namespace Mote.Numerics.Tests.Formats;

public sealed class DotTests
{
    /// <summary>
    /// Allowed |Dot − exact| relative to Σ|wᵢ·xᵢ| (the condition of the sum), per type. Today every row
    /// dots the exactly dequantized weights in float, so only summation rounding counts; types whose Dot
    /// later quantizes the activations (as ggml does) will need a looser entry here.
    /// </summary>
    private static readonly Dictionary<GgmlType, double> s_tolerance = new()
    {
        [GgmlType.F32] = 1e-5,
        [GgmlType.F16] = 1e-5,
        [GgmlType.BF16] = 1e-5,
        [GgmlType.Q4_0] = 1e-5,
        [GgmlType.Q4_1] = 1e-5,
        [GgmlType.Q5_0] = 1e-5,
        [GgmlType.Q5_1] = 1e-5,
        [GgmlType.Q8_0] = 1e-5,
        [GgmlType.Q8_1] = 1e-5,
        [GgmlType.Q2_K] = 1e-5,
        [GgmlType.Q3_K] = 1e-5,
        [GgmlType.Q4_K] = 1e-5,
        [GgmlType.Q5_K] = 1e-5,
        [GgmlType.Q6_K] = 1e-5,
        [GgmlType.Q8_K] = 1e-5,
    };

    public static TheoryData<GgmlType> Types
    {
        get
        {
            var data = new TheoryData<GgmlType>();
            foreach (var type in TensorTypes.All.Select(t => t.Type).Order())
                data.Add(type);
            return data;
        }
    }

    /// <summary>Sweeps block counts (every length 0..257 for per-element types) with seeded random data.</summary>
    [Theory]
    [MemberData(nameof(Types))]
    public void Dot_SweepOfLengths_MatchesDequantizeThenDoubleDot(GgmlType ggmlType)
    {
        var type = TensorTypes.Get(ggmlType);
        var tolerance = s_tolerance[ggmlType];
        var random = new Random(20240601 + (int)ggmlType);
        var maxBlocks = type.BlockSize == 1 ? 257 : type.BlockSize == 32 ? 40 : 9;
        for (var blocks = type.BlockSize == 1 ? 0 : 1; blocks <= maxBlocks; blocks++)
        {
            var n = blocks * type.BlockSize;
            var (row, x) = RandomRow(type, n, random);
            var weights = new float[n];
            type.Dequantize(row, weights);

            double exact = 0, magnitude = 0;
            for (var i = 0; i < n; i++)
            {
                exact += (double)weights[i] * x[i];
                magnitude += Math.Abs((double)weights[i] * x[i]);
            }
            var actual = type.Dot(row, x);
            var allowed = tolerance * magnitude + 1e-30;
            Assert.True(Math.Abs(actual - exact) <= allowed,
                $"{type.Name}, {n} elements: Dot {actual:R}, exact {exact:R}, |diff| {Math.Abs(actual - exact):G3} > {allowed:G3}");
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void DotMany_EachVector_EqualsDotExactly(GgmlType ggmlType)
    {
        var type = TensorTypes.Get(ggmlType);
        var random = new Random(77);
        var n = 3 * Math.Max(type.BlockSize, 256) + (type.BlockSize == 1 ? 5 : 0);
        var (row, _) = RandomRow(type, n, random);
        const int count = 5;
        const int stride = 3;
        var x = RandomFloats(count * n, random);
        var y = new float[(count - 1) * stride + 1];
        y.AsSpan().Fill(float.NaN);

        type.DotMany(row, n, x, count, y, stride);

        for (var v = 0; v < count; v++)
            Assert.Equal(type.Dot(row, x.AsSpan(v * n, n)), y[v * stride]);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Dot_LengthNotAMultipleOfBlockSize_Throws(GgmlType ggmlType)
    {
        var type = TensorTypes.Get(ggmlType);
        if (type.BlockSize == 1)
            return;
        var row = new byte[type.TypeSize];
        Assert.Throws<ArgumentException>(() => type.Dot(row, new float[type.BlockSize - 1]));
    }

    internal static (byte[] Row, float[] X) RandomRow(TensorType type, int n, Random random)
    {
        var values = RandomFloats(n, random);
        var row = new byte[type.RowBytes(n)];
        type.Quantize(values, row);
        return (row, RandomFloats(n, random));
    }

    internal static float[] RandomFloats(int n, Random random)
    {
        var values = new float[n];
        for (var i = 0; i < n; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
