using Mote.Numerics.Formats;
using Mote.Numerics.Kernels;
using Mote.Numerics.Threading;

namespace Mote.Numerics.Tests.Kernels;

/// <summary>
/// The f16 kernels' edge cases at every instruction-set level: the decode path reads weights as w · 2^-112 and
/// scales the activations by 2^112, so subnormal weights, tiny and huge activations, and ±Inf/NaN weights
/// must all come out as if the weights had been widened exactly.
/// </summary>
public sealed unsafe class F16KernelTests
{
    private static readonly TensorType s_f16 = TensorTypes.Get(GgmlType.F16);

    public static TheoryData<string> Levels
    {
        get
        {
            var data = new TheoryData<string>();
            for (var isa = KernelIsa.Scalar; isa <= KernelIsas.Best; isa++)
                data.Add(isa.ToString());
            return data;
        }
    }

    /// <summary>
    /// One nonzero product per row makes the sum exact, so y must equal <c>(float)(w · x)</c> bit for bit,
    /// including subnormal weights, subnormal x, products below f32's normal range and |x| ≥ 2^16 (which takes
    /// the exact path).
    /// </summary>
    [Theory]
    [MemberData(nameof(Levels))]
    public void Multiply_SingleProductPerRow_IsExact(string level)
    {
        ushort[] halves = [0x0001, 0x8001, 0x03FF, 0x0400, 0x3C00, 0xBC00, 0x7BFF, 0xFBFF, 0x1234, 0x0000, 0x8000, 0x2E66];
        float[] xs = [1f, -3.5f, 1e-3f, 1e-20f, 1e-39f, 6e4f, 65535f, 70000f, 3e38f, float.Epsilon];
        const int cols = 77; // two 32-element blocks and a scalar tail
        using var pool = new WorkerPool(2);
        var context = new MatMulContext(pool) { Isa = Enum.Parse<KernelIsa>(level) };
        var random = new Random(5);
        foreach (var xValue in xs)
        {
            var rows = halves.Length * 3;
            var weights = new ushort[rows * cols];
            var x = new float[cols];
            for (var c = 0; c < cols; c++)
                x[c] = c % 3 == 0 ? xValue : -xValue * 0.5f;
            var columns = new int[rows];
            for (var r = 0; r < rows; r++)
            {
                columns[r] = random.Next(cols);
                weights[r * cols + columns[r]] = halves[r % halves.Length];
            }
            var y = Multiply(context, weights, rows, cols, x, 1);
            for (var r = 0; r < rows; r++)
            {
                var expected = (float)BitConverter.UInt16BitsToHalf(halves[r % halves.Length]) * x[columns[r]];
                Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(y[r]) || expected == y[r],
                    $"{level} x {xValue:R} row {r} (half 0x{halves[r % halves.Length]:X4} at column {columns[r]}): {y[r]:R} vs {expected:R}");
            }
        }
    }

    /// <summary>Rows holding ±Inf or NaN give ±Inf/NaN as the exact widening does; their neighbours are unaffected.</summary>
    [Theory]
    [MemberData(nameof(Levels))]
    public void Multiply_InfinityAndNaNWeights_Propagate(string level)
    {
        const int rows = 12, cols = 96;
        using var pool = new WorkerPool(2);
        var context = new MatMulContext(pool) { Isa = Enum.Parse<KernelIsa>(level) };
        var random = new Random(6);
        var weights = new ushort[rows * cols];
        for (var i = 0; i < weights.Length; i++)
            weights[i] = BitConverter.HalfToUInt16Bits((Half)(float)(random.NextDouble() - 0.5));
        weights[1 * cols + 40] = 0x7C00; // +Inf
        weights[6 * cols + 3] = 0xFC00; // −Inf
        weights[9 * cols + 70] = 0x7E00; // NaN
        weights[10 * cols + 90] = 0xFC01; // negative NaN
        var x = new float[cols * 2];
        for (var i = 0; i < x.Length; i++)
            x[i] = (float)(random.NextDouble() + 0.5);
        foreach (var n in new[] { 1, 2 })
        {
            var y = Multiply(context, weights, rows, cols, x, n);
            for (var t = 0; t < n; t++)
            {
                for (var r = 0; r < rows; r++)
                {
                    double exact = 0, magnitude = 0;
                    for (var c = 0; c < cols; c++)
                    {
                        var p = (double)(float)BitConverter.UInt16BitsToHalf(weights[r * cols + c]) * x[t * cols + c];
                        exact += p;
                        magnitude += Math.Abs(p);
                    }
                    var actual = y[t * rows + r];
                    if (double.IsNaN(exact) || double.IsInfinity(exact))
                        Assert.True(exact.Equals(actual), $"{level} n {n} token {t} row {r}: {actual} vs {exact}");
                    else
                        Assert.True(Math.Abs(actual - exact) <= 1e-5 * magnitude, $"{level} n {n} token {t} row {r}: {actual:R} vs {exact:R}");
                }
            }
        }
    }

    private static float[] Multiply(MatMulContext context, ushort[] weights, int rows, int cols, float[] x, int n)
    {
        var y = new float[rows * n];
        fixed (ushort* w = weights)
            MatMul.Multiply(context, s_f16, (nint)w, rows, cols, x, n, y);
        return y;
    }
}
