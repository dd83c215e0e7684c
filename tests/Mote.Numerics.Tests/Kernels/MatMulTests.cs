using Mote.Numerics.Formats;
using Mote.Numerics.Kernels;
using Mote.Numerics.Tests.Formats;
using Mote.Numerics.Threading;

namespace Mote.Numerics.Tests.Kernels;

/// <summary>MatMul at every instruction-set level this CPU runs against a naive double-precision product.</summary>
public sealed unsafe class MatMulTests
{
    /// <summary>
    /// Allowed |MatMul − exact| relative to Σ|w·x| per type. Float types only round sums; quantized types
    /// multiply 8-bit quantized activations (as llama.cpp does), whose rounding error is up to d/2 per element.
    /// </summary>
    private static readonly Dictionary<GgmlType, double> s_tolerance = new()
    {
        [GgmlType.F32] = 1e-5,
        [GgmlType.F16] = 1e-5,
        [GgmlType.BF16] = 1e-5,
        [GgmlType.Q4_0] = 4e-3,
        [GgmlType.Q4_1] = 4e-3,
        [GgmlType.Q5_0] = 4e-3,
        [GgmlType.Q5_1] = 4e-3,
        [GgmlType.Q8_0] = 4e-3,
        [GgmlType.Q8_1] = 4e-3,
        [GgmlType.Q2_K] = 4e-3,
        [GgmlType.Q3_K] = 4e-3,
        [GgmlType.Q4_K] = 4e-3,
        [GgmlType.Q5_K] = 4e-3,
        [GgmlType.Q6_K] = 4e-3,
        [GgmlType.Q8_K] = 4e-3,
    };

    public static TheoryData<GgmlType, string> TypesAndLevels
    {
        get
        {
            var data = new TheoryData<GgmlType, string>();
            foreach (var type in TensorTypes.All.Select(t => t.Type).Order())
            {
                for (var isa = KernelIsa.Scalar; isa <= KernelIsas.Best; isa++)
                    data.Add(type, isa.ToString());
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(TypesAndLevels))]
    public void Multiply_RandomMatrices_MatchesNaiveProduct(GgmlType ggmlType, string level)
    {
        var isa = Enum.Parse<KernelIsa>(level);
        var type = TensorTypes.Get(ggmlType);
        using var pool = new WorkerPool(2);
        var context = new MatMulContext(pool) { Isa = isa };
        var random = new Random(1000 + (int)ggmlType);
        // 37 rows: four full 8-row tiles of the f16 GEMM and a short one; 17 and 40 tokens: a short last block.
        foreach (var (rows, blocks) in new[] { (1, 1), (7, 3), (13, 8), (5, 17), (37, 9) })
        {
            var cols = blocks * Math.Max(type.BlockSize, type.BlockSize == 1 ? 37 : 1);
            var weights = RandomMatrix(type, rows, cols, random);
            foreach (var n in new[] { 1, 2, 7, 17, 40, 64 })
            {
                var x = DotTests.RandomFloats(n * cols, random);
                var y = new float[n * rows];
                fixed (byte* w = weights)
                    MatMul.Multiply(context, type, (nint)w, rows, cols, x, n, y);
                AssertClose(type, weights, rows, cols, x, n, y, s_tolerance[ggmlType], $"{isa} rows {rows} cols {cols} n {n}");
            }
        }
    }

    /// <summary>
    /// The float GEMM's large calls: on one thread a chunk spans several groups of row tiles (each group runs slice by
    /// slice), 603 rows end in a short tile, 300 columns make two slices, and 19 and 128 tokens end in a short or a
    /// full block of 8 (the transposed store of whole blocks, one by one for the rest).
    /// </summary>
    [Theory]
    [InlineData(GgmlType.F32)]
    [InlineData(GgmlType.F16)]
    [InlineData(GgmlType.BF16)]
    public void Multiply_FloatGemmOnOneThread_ManyTilesPerChunk_MatchesNaiveProduct(GgmlType ggmlType)
    {
        var type = TensorTypes.Get(ggmlType);
        using var pool = new WorkerPool(1);
        var context = new MatMulContext(pool) { Isa = KernelIsas.Best };
        var random = new Random(77);
        const int rows = 603, cols = 300;
        var weights = RandomMatrix(type, rows, cols, random);
        foreach (var n in new[] { 19, 128 })
        {
            var x = DotTests.RandomFloats(n * cols, random);
            var y = new float[n * rows];
            fixed (byte* w = weights)
                MatMul.Multiply(context, type, (nint)w, rows, cols, x, n, y);
            AssertClose(type, weights, rows, cols, x, n, y, s_tolerance[ggmlType], $"rows {rows} cols {cols} n {n}");
        }
    }

    /// <summary>
    /// Weights small enough (|w| ≤ 2e-5) that block and super-block scales are subnormal halves, as q6_K's are in
    /// real models: the kernels' scale conversion must handle them (exactly, and without subnormal arithmetic).
    /// </summary>
    [Theory]
    [MemberData(nameof(TypesAndLevels))]
    public void Multiply_TinyWeights_SubnormalScales_MatchesNaiveProduct(GgmlType ggmlType, string level)
    {
        var isa = Enum.Parse<KernelIsa>(level);
        var type = TensorTypes.Get(ggmlType);
        using var pool = new WorkerPool(2);
        var context = new MatMulContext(pool) { Isa = isa };
        var random = new Random(2000 + (int)ggmlType);
        const int rows = 9;
        var cols = 3 * Math.Max(type.BlockSize, 32);
        var rowBytes = (int)type.RowBytes(cols);
        var weights = new byte[rows * rowBytes];
        for (var r = 0; r < rows; r++)
        {
            var values = DotTests.RandomFloats(cols, random);
            for (var c = 0; c < cols; c++)
                values[c] *= 2e-5f;
            type.Quantize(values, weights.AsSpan(r * rowBytes, rowBytes));
        }
        foreach (var n in new[] { 1, 5, 17 })
        {
            var x = DotTests.RandomFloats(n * cols, random);
            var y = new float[n * rows];
            fixed (byte* w = weights)
                MatMul.Multiply(context, type, (nint)w, rows, cols, x, n, y);
            AssertClose(type, weights, rows, cols, x, n, y, s_tolerance[ggmlType], $"{isa} tiny weights n {n}");
        }
    }

    /// <summary>Q, K and V in one call give exactly what three calls give, at every level and token count.</summary>
    [Theory]
    [MemberData(nameof(TypesAndLevels))]
    public void Multiply_ThreeOutputsOfOneInput_EqualsThreeCalls(GgmlType ggmlType, string level)
    {
        var isa = Enum.Parse<KernelIsa>(level);
        var type = TensorTypes.Get(ggmlType);
        using var pool = new WorkerPool(2);
        var context = new MatMulContext(pool) { Isa = isa };
        var random = new Random(3000 + (int)ggmlType);
        var cols = 2 * Math.Max(type.BlockSize, 32);
        int[] rows = [200, 37, 90]; // chunks of different sizes per matrix
        var weights = rows.Select(r => RandomMatrix(type, r, cols, random)).ToArray();
        foreach (var n in new[] { 1, 5, 17 })
        {
            var x = DotTests.RandomFloats(n * cols, random);
            var separate = rows.Select(r => new float[n * r]).ToArray();
            var together = rows.Select(r => new float[n * r]).ToArray();
            fixed (byte* w0 = weights[0], w1 = weights[1], w2 = weights[2])
            {
                nint[] addresses = [(nint)w0, (nint)w1, (nint)w2];
                for (var i = 0; i < 3; i++)
                    MatMul.Multiply(context, type, addresses[i], rows[i], cols, x, n, separate[i]);
                MatMul.Multiply(context, type, cols, x, n, new MatMulOutput(addresses[0], rows[0], together[0]),
                    new MatMulOutput(addresses[1], rows[1], together[1]), new MatMulOutput(addresses[2], rows[2], together[2]));
            }
            for (var i = 0; i < 3; i++)
                Assert.Equal(separate[i], together[i]);
        }
    }

    [Fact]
    public void Multiply_TwoOutputs_ShortOutputBuffer_Throws()
    {
        var type = TensorTypes.Get(GgmlType.Q8_0);
        using var pool = new WorkerPool(1);
        var context = new MatMulContext(pool);
        var weights = RandomMatrix(type, 4, 64, new Random(1));
        fixed (byte* w = weights)
        {
            var address = (nint)w;
            var error = Assert.Throws<ArgumentException>(() => MatMul.Multiply(context, type, 64, new float[2 * 64], 2,
                new MatMulOutput(address, 4, new float[8]), new MatMulOutput(address, 4, new float[7])));
            Assert.Equal("second", error.ParamName);
        }
    }

    [Theory]
    [InlineData(GgmlType.Q4_0, 1)]
    [InlineData(GgmlType.Q4_0, 9)]
    [InlineData(GgmlType.Q4_K, 9)]
    public void Multiply_SameInput_ReusesTheActivationsQuantizedByThePreviousCall(GgmlType ggmlType, int n)
    {
        var type = TensorTypes.Get(ggmlType);
        using var pool = new WorkerPool(2);
        var context = new MatMulContext(pool);
        var random = new Random(77);
        const int rows = 6;
        var cols = 2 * Math.Max(256, type.BlockSize);
        var first = RandomMatrix(type, rows, cols, random);
        var second = RandomMatrix(type, rows, cols, random);
        // Reuse is keyed by x's address (the engine's buffers are pinned): pinned here too, or a GC between the
        // calls could move x and the test would see a fresh quantization.
        var x = GC.AllocateArray<float>(n * cols, pinned: true);
        DotTests.RandomFloats(n * cols, random).CopyTo(x, 0);
        var original = (float[])x.Clone();
        var y = new float[n * rows];
        var expected = new float[n * rows];
        fixed (byte* w1 = first, w2 = second)
        {
            MatMul.Multiply(context, type, (nint)w2, rows, cols, x, n, expected);
            MatMul.Multiply(context, type, (nint)w1, rows, cols, x, n, y);
            // Changed values at the same address: only reuse of the earlier quantization gives the old result.
            x.AsSpan().Clear();
            MatMul.Multiply(context, type, (nint)w2, rows, cols, x, n, y, sameInput: true);
            if (KernelTable.Get(type, context.Isa).ActivationBytes(cols, n) > 0)
                Assert.Equal(expected, y);
            else
                Assert.All(y, value => Assert.Equal(0f, value)); // this CPU's kernel reads x itself: nothing to reuse

            // Another weight type quantizes for itself even when told the input is the same.
            var q8 = TensorTypes.Get(GgmlType.Q8_0);
            var third = RandomMatrix(q8, rows, cols, random);
            original.CopyTo(x, 0);
            fixed (byte* w3 = third)
                MatMul.Multiply(context, q8, (nint)w3, rows, cols, x, n, y, sameInput: true);
            AssertClose(q8, third, rows, cols, x, n, y, s_tolerance[GgmlType.Q8_0], "after another type");
        }
    }

    [Fact]
    public void Multiply_SameInputAfterACallOnNewValues_DoesNotReuseOlderActivations()
    {
        // Q, K and V of a mixed-type layer: an older call prepared x for q8_0, x then changed under a kernel that
        // prepares nothing (f32 reads floats), and the next q8_0 call, told its input is that of the previous
        // call, must not take the activations of the older values.
        var q8 = TensorTypes.Get(GgmlType.Q8_0);
        var f32 = TensorTypes.Get(GgmlType.F32);
        using var pool = new WorkerPool(2);
        var context = new MatMulContext(pool);
        var random = new Random(78);
        const int rows = 5, cols = 256, n = 3;
        var quantized = RandomMatrix(q8, rows, cols, random);
        var floats = RandomMatrix(f32, rows, cols, random);
        var x = GC.AllocateArray<float>(n * cols, pinned: true);
        DotTests.RandomFloats(n * cols, random).CopyTo(x, 0);
        var y = new float[n * rows];
        fixed (byte* wq = quantized, wf = floats)
        {
            MatMul.Multiply(context, q8, (nint)wq, rows, cols, x, n, y);
            DotTests.RandomFloats(n * cols, random).CopyTo(x, 0);
            MatMul.Multiply(context, f32, (nint)wf, rows, cols, x, n, y);
            MatMul.Multiply(context, q8, (nint)wq, rows, cols, x, n, y, sameInput: true);
        }
        AssertClose(q8, quantized, rows, cols, x, n, y, s_tolerance[GgmlType.Q8_0], "after a float call on new values");
    }

    internal static byte[] RandomMatrix(TensorType type, int rows, int cols, Random random)
    {
        var rowBytes = (int)type.RowBytes(cols);
        var weights = new byte[rows * rowBytes];
        for (var r = 0; r < rows; r++)
            type.Quantize(DotTests.RandomFloats(cols, random), weights.AsSpan(r * rowBytes, rowBytes));
        return weights;
    }

    internal static void AssertClose(TensorType type, byte[] weights, int rows, int cols, float[] x, int n, float[] y, double tolerance, string what)
    {
        var w = new float[rows * cols];
        type.Dequantize(weights, w);
        for (var t = 0; t < n; t++)
        {
            for (var r = 0; r < rows; r++)
            {
                double exact = 0, magnitude = 0;
                for (var c = 0; c < cols; c++)
                {
                    var p = (double)w[r * cols + c] * x[t * cols + c];
                    exact += p;
                    magnitude += Math.Abs(p);
                }
                var actual = y[t * rows + r];
                Assert.True(Math.Abs(actual - exact) <= tolerance * magnitude + 1e-30,
                    $"{type.Name} {what}: token {t} row {r}: {actual:R} vs {exact:R} (|diff| {Math.Abs(actual - exact):G3}, allowed {tolerance * magnitude:G3})");
            }
        }
    }
}
