using Mote.Numerics.Formats;
using Mote.Numerics.Kernels;
using Mote.Numerics.Tests.Formats;
using Mote.Numerics.Threading;

namespace Mote.Numerics.Tests.Kernels;

/// <summary>
/// Every integer kernel at every level this CPU runs, checked against the exact product of the reference
/// dequantized weights with the values its quantized activations stand for: only float rounding may differ,
/// so a wrong bit in unpacking, scales, offsets or minimums shows.
/// </summary>
public sealed unsafe class QuantizedKernelTests
{
    /// <summary>Allowed |kernel − exact| relative to Σ|w·x| per type (summation rounding only).</summary>
    private static readonly Dictionary<GgmlType, double> s_tolerance = new()
    {
        [GgmlType.Q4_0] = 2e-6,
        [GgmlType.Q4_1] = 2e-6,
        [GgmlType.Q5_0] = 2e-6,
        [GgmlType.Q5_1] = 2e-6,
        [GgmlType.Q8_0] = 2e-6,
        [GgmlType.Q2_K] = 2e-6,
        [GgmlType.Q3_K] = 2e-6,
        [GgmlType.Q4_K] = 2e-6,
        [GgmlType.Q5_K] = 2e-6,
        [GgmlType.Q6_K] = 2e-6,
    };

    public static TheoryData<GgmlType, string> IntegerKernels
    {
        get
        {
            var data = new TheoryData<GgmlType, string>();
            for (var isa = KernelIsa.Scalar; isa <= KernelIsas.Best; isa++)
            {
                foreach (var type in TensorTypes.All.OrderBy(t => t.Type))
                {
                    if (s_tolerance.ContainsKey(type.Type) && KernelTable.Get(type, isa).ActivationBytes(256) > 0)
                        data.Add(type.Type, isa.ToString());
                }
            }
            return data;
        }
    }

    [Fact]
    public void IntegerKernels_ExistOnThisCpu()
    {
        // Documents which kernels the sweep below covered (and fails if a level lost them all by mistake).
        if (KernelIsas.Best == KernelIsa.Avx512)
            Assert.True(IntegerKernels.Count() >= 5);
    }

    [Theory]
    [MemberData(nameof(IntegerKernels))]
    public void Compute_SweepOfBlockCountsAndTokens_MatchesExactProductOfQuantizedValues(GgmlType ggmlType, string level)
    {
        var type = TensorTypes.Get(ggmlType);
        var kernel = KernelTable.Get(type, Enum.Parse<KernelIsa>(level));
        var random = new Random(500 + (int)ggmlType);
        // Every small count (partial last groups) and a few spanning several prefill column slices.
        var counts = type.BlockSize == 32 ? Enumerable.Range(1, 13).Concat([41, 70, 230]) : Enumerable.Range(1, 4).Concat([9, 27]);
        // An odd row count, computed in two chunks as the pool would: paired rows, a lone row, the last rows'
        // copied partial groups.
        const int rows = 7;
        foreach (var blocks in counts)
        {
            var cols = blocks * type.BlockSize;
            var weights = MatMulTests.RandomMatrix(type, rows, cols, random);
            // 1–9 and 21 tokens: the per-row paths and the 32-element types' interleaved GEMM (from 4 or 8, with
            // partial last groups of four); 67: the K-quants' interleaved GEMM (from 32 or 64) with a partial group.
            foreach (var n in Enumerable.Range(1, 9).Concat([21, 67]))
            {
                var x = DotTests.RandomFloats(n * cols, random);
                // The values the kernel multiplies: each token quantized as one token is. A call of many tokens may
                // lay its activations out otherwise (a GEMM packs them) but must multiply the same values.
                var single = kernel.ActivationBytes(cols);
                var quantized = GC.AllocateArray<byte>(single + 64, pinned: true);
                var stride = kernel.ActivationBytes(cols, n);
                var prepared = GC.AllocateArray<byte>((int)kernel.ActivationBufferBytes(cols, n) + 64, pinned: true);
                var scratch = GC.AllocateArray<float>(kernel.ScratchFloats(cols, n) + 16, pinned: true);
                var values = new float[n * cols];
                var y = new float[n * rows];
                fixed (byte* wp = weights, pp = prepared, qp = quantized)
                fixed (float* xp = x, vp = values, yp = y, sp = scratch)
                {
                    var aligned = (byte*)(((nint)pp + 63) & ~(nint)63);
                    var one = (byte*)(((nint)qp + 63) & ~(nint)63);
                    var args = new MatMulArgs
                    {
                        Weights = wp, RowBytes = type.RowBytes(cols), Rows = rows, Cols = cols, Tokens = n,
                        X = xp, Activations = aligned, ActivationStride = stride, Y = yp,
                    };
                    for (var t = 0; t < n; t++)
                    {
                        kernel.Prepare(args, t);
                        kernel.PrepareActivations(xp + t * cols, cols, one);
                        kernel.ExpandActivations(one, cols, vp + t * cols);
                    }
                    kernel.Compute(args, 0, 4, sp);
                    kernel.Compute(args, 4, rows, sp);
                }
                MatMulTests.AssertClose(type, weights, rows, cols, values, n, y, s_tolerance[ggmlType], $"{level} {blocks} blocks, {n} tokens");
            }
        }
    }

    [Theory]
    [MemberData(nameof(MatMulTests.TypesAndLevels), MemberType = typeof(MatMulTests))]
    public void Multiply_AfterWarmUp_AllocatesNothing(GgmlType ggmlType, string level)
    {
        var type = TensorTypes.Get(ggmlType);
        using var pool = new WorkerPool(1);
        var context = new MatMulContext(pool) { Isa = Enum.Parse<KernelIsa>(level) };
        var random = new Random(3);
        const int rows = 9;
        var cols = 2 * Math.Max(256, type.BlockSize);
        var weights = MatMulTests.RandomMatrix(type, rows, cols, random);
        var x = DotTests.RandomFloats(7 * cols, random);
        var y = new float[7 * rows];
        fixed (byte* w = weights)
        {
            MatMul.Multiply(context, type, (nint)w, rows, cols, x, 7, y);
            MatMul.Multiply(context, type, (nint)w, rows, cols, x, 1, y);
            // The runtime itself sometimes allocates on this thread (tier-up bookkeeping, a few KB, once): a call
            // that allocates does so in every round, so the fewest bytes over a few rounds must be 0.
            var fewest = long.MaxValue;
            for (var round = 0; round < 4 && fewest > 0; round++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                for (var i = 0; i < 3; i++)
                {
                    MatMul.Multiply(context, type, (nint)w, rows, cols, x, 1, y);
                    MatMul.Multiply(context, type, (nint)w, rows, cols, x, 7, y);
                }
                fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
            }
            Assert.Equal(0, fewest);
        }
    }
}
