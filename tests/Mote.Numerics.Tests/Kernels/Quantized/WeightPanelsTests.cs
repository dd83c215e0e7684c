using Mote.Numerics.Formats;
using Mote.Numerics.Kernels;
using Mote.Numerics.Kernels.Quantized;
using Mote.Numerics.Tests.Formats;
using Mote.Numerics.Threading;

namespace Mote.Numerics.Tests.Kernels.Quantized;

/// <summary>
/// Weights interleaved into panels: the layout round-trips to GGUF rows bit for bit, and every level's panel kernel
/// multiplies the same values as the reference dequantizer (the AVX2 one exactly up to float rounding, against the
/// values its quantized activations stand for).
/// </summary>
public sealed unsafe class WeightPanelsTests
{
    public static TheoryData<GgmlType, string> PanelTypesAndLevels
    {
        get
        {
            var data = new TheoryData<GgmlType, string>();
            foreach (var type in new[] { GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.Q6_K })
            {
                for (var isa = KernelIsa.Scalar; isa <= KernelIsas.Best; isa++)
                    data.Add(type, isa.ToString());
            }
            return data;
        }
    }

    [Theory]
    [InlineData(GgmlType.Q4_0)]
    [InlineData(GgmlType.Q4_1)]
    [InlineData(GgmlType.Q5_0)]
    [InlineData(GgmlType.Q5_1)]
    [InlineData(GgmlType.Q8_0)]
    [InlineData(GgmlType.Q4_K)]
    [InlineData(GgmlType.Q6_K)]
    public void Interleave_ThenExtractEveryRow_GivesTheGgufRowsBack(GgmlType ggmlType)
    {
        var type = TensorTypes.Get(ggmlType);
        const int rows = 24;
        var cols = 5 * type.BlockSize;
        var weights = MatMulTests.RandomMatrix(type, rows, cols, new Random(7));
        var panels = new byte[weights.Length];
        var rowBytes = (int)type.RowBytes(cols);
        var row = new byte[rowBytes];
        fixed (byte* w = weights, p = panels)
        {
            Assert.True(WeightPanels.Interleave(type, w, rows, cols, p));
            Assert.NotEqual(weights, panels);
            for (var r = 0; r < rows; r++)
            {
                WeightPanels.ExtractRow(type, p, cols, r, row);
                Assert.Equal(weights.AsSpan(r * rowBytes, rowBytes).ToArray(), row);
            }
        }
    }

    [Fact]
    public void Interleave_InfiniteScale_RefusesAndCanInterleaveRejectsOddShapes()
    {
        var type = TensorTypes.Get(GgmlType.Q4_0);
        var weights = MatMulTests.RandomMatrix(type, 8, 64, new Random(8));
        weights[18 * 3] = 0x00;
        weights[18 * 3 + 1] = 0x7C; // +inf as the scale of row 1's second block
        var panels = new byte[weights.Length];
        fixed (byte* w = weights, p = panels)
            Assert.False(WeightPanels.Interleave(type, w, 8, 64, p));
        Assert.False(WeightPanels.CanInterleave(type, 12, 64));
        Assert.False(WeightPanels.CanInterleave(TensorTypes.Get(GgmlType.Q5_K), 8, 256));
        Assert.False(WeightPanels.CanInterleave(TensorTypes.Get(GgmlType.Q4_K), 8, 128));
        Assert.True(WeightPanels.CanInterleave(type, 16, 64));
    }

    [Theory]
    [InlineData(GgmlType.Q4_K, 0)]
    [InlineData(GgmlType.Q4_K, 2)]
    [InlineData(GgmlType.Q6_K, 208)]
    public void Interleave_KQuantInfiniteScale_Refuses(GgmlType ggmlType, int offset)
    {
        var type = TensorTypes.Get(ggmlType);
        var weights = MatMulTests.RandomMatrix(type, 8, 512, new Random(9));
        var at = 3 * 2 * type.TypeSize + type.TypeSize + offset;
        weights[at] = 0x00;
        weights[at + 1] = 0xFC; // -inf as d (or q4_K's dmin) of row 3's second super-block
        var panels = new byte[weights.Length];
        fixed (byte* w = weights, p = panels)
            Assert.False(WeightPanels.Interleave(type, w, 8, 512, p));
    }

    [Avx2Fact]
    public void Halves_EveryFiniteHalf_EqualsHalfConversionBitForBit()
    {
        var halves = new ushort[8];
        fixed (ushort* h = halves)
        {
            for (var start = 0; start <= ushort.MaxValue; start += 8)
            {
                for (var i = 0; i < 8; i++)
                    halves[i] = (ushort)(start + i);
                var values = WeightPanels.Halves(h);
                for (var i = 0; i < 8; i++)
                {
                    if ((halves[i] & 0x7C00) == 0x7C00)
                        continue; // infinities and NaN never reach panels
                    var expected = BitConverter.SingleToUInt32Bits((float)BitConverter.UInt16BitsToHalf(halves[i]));
                    Assert.True(expected == BitConverter.SingleToUInt32Bits(values[i]), $"0x{halves[i]:X4}: {values[i]:R}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(PanelTypesAndLevels))]
    public void Compute_SweepOfBlockCountsAndTokens_MatchesExactProductOfQuantizedValues(GgmlType ggmlType, string level)
    {
        var type = TensorTypes.Get(ggmlType);
        var kernel = KernelTable.Get(type, Enum.Parse<KernelIsa>(level), WeightLayout.Panels8);
        var random = new Random(900 + (int)ggmlType);
        const int rows = 16;
        // Partial and several column slices (32 blocks); tokens: decode, the groups of four and their remainders.
        foreach (var blocks in Enumerable.Range(1, 9).Concat([33, 70]))
        {
            var cols = blocks * type.BlockSize;
            var weights = MatMulTests.RandomMatrix(type, rows, cols, random);
            var panels = GC.AllocateArray<byte>(weights.Length, pinned: true);
            fixed (byte* source = weights, p = panels)
                Assert.True(WeightPanels.Interleave(type, source, rows, cols, p));
            foreach (var n in new[] { 1, 2, 3, 4, 5, 8, 11 })
            {
                var x = DotTests.RandomFloats(n * cols, random);
                var stride = kernel.ActivationBytes(cols, n);
                var prepared = GC.AllocateArray<byte>((int)kernel.ActivationBufferBytes(cols, n) + 64, pinned: true);
                var scratch = GC.AllocateArray<float>(kernel.ScratchFloats(cols, n) + 16, pinned: true);
                var values = (float[])x.Clone();
                var y = new float[n * rows];
                fixed (byte* wp = panels, pp = prepared)
                fixed (float* xp = x, vp = values, yp = y, sp = scratch)
                {
                    var aligned = (byte*)(((nint)pp + 63) & ~(nint)63);
                    var args = new MatMulArgs
                    {
                        Weights = wp, RowBytes = type.RowBytes(cols), Rows = rows, Cols = cols, Tokens = n,
                        X = xp, Activations = aligned, ActivationStride = stride, Y = yp,
                    };
                    for (var t = 0; t < n && stride > 0; t++)
                    {
                        kernel.Prepare(args, t);
                        kernel.ExpandActivations(aligned + t * stride, cols, vp + t * cols);
                    }
                    kernel.Compute(args, 0, 8, sp);
                    kernel.Compute(args, 8, rows, sp);
                }
                MatMulTests.AssertClose(type, weights, rows, cols, values, n, y, 2e-6, $"{level} panels, {blocks} blocks, {n} tokens");
            }
        }
    }

    [Theory]
    [MemberData(nameof(PanelTypesAndLevels))]
    public void Multiply_PanelsThroughThePool_MatchesNaiveProduct(GgmlType ggmlType, string level)
    {
        var type = TensorTypes.Get(ggmlType);
        using var pool = new WorkerPool(2);
        var context = new MatMulContext(pool) { Isa = Enum.Parse<KernelIsa>(level) };
        var random = new Random(1900 + (int)ggmlType);
        const int rows = 40;
        var cols = 6 * type.BlockSize;
        var weights = MatMulTests.RandomMatrix(type, rows, cols, random);
        var panels = new byte[weights.Length];
        fixed (byte* w = weights, p = panels)
            Assert.True(WeightPanels.Interleave(type, w, rows, cols, p));
        foreach (var n in new[] { 1, 6, 9 })
        {
            var x = DotTests.RandomFloats(n * cols, random);
            var y = new float[n * rows];
            fixed (byte* p = panels)
                MatMul.Multiply(context, type, (nint)p, rows, cols, x, n, y, layout: WeightLayout.Panels8);
            // As the row-major kernels: 8-bit activations round by up to d/2 per element.
            MatMulTests.AssertClose(type, weights, rows, cols, x, n, y, 4e-3, $"{level} panels n {n}");
        }
    }

    [Fact]
    public void Multiply_PanelsWithRowsNotAMultipleOfEight_IsRejected()
    {
        var type = TensorTypes.Get(GgmlType.Q8_0);
        using var pool = new WorkerPool(1);
        var context = new MatMulContext(pool);
        var weights = new byte[12 * 34];
        fixed (byte* w = weights)
        {
            var address = (nint)w;
            Assert.Throws<ArgumentException>(() => MatMul.Multiply(context, type, address, 12, 32, new float[32], 1, new float[12], layout: WeightLayout.Panels8));
        }
    }
}
