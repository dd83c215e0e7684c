using Mote.Numerics.Formats;
using Mote.Numerics.Kernels.Float;
using Mote.Numerics.Kernels.Quantized;

namespace Mote.Numerics.Kernels;

/// <summary>
/// Which kernel multiplies which weight type at which <see cref="KernelIsa"/> level. A type without a kernel
/// at some level uses its kernel at the highest lower level, and failing that the
/// <see cref="DequantizingKernel"/>. Adding a kernel adds a row.
/// </summary>
internal static class KernelTable
{
    private static readonly (GgmlType Type, KernelIsa Isa, Func<MatMulKernel> Create)[] s_rows =
    [
        (GgmlType.Q4_0, KernelIsa.Vector128, () => new Q4_0KernelVector128()),
        (GgmlType.Q8_0, KernelIsa.Vector128, () => new Q8_0KernelVector128()),
        (GgmlType.Q4_1, KernelIsa.Vector128, () => new BlockKernelVector128<Q4_1Vector128>()),
        (GgmlType.Q5_0, KernelIsa.Vector128, () => new BlockKernelVector128<Q5_0Vector128>()),
        (GgmlType.Q5_1, KernelIsa.Vector128, () => new BlockKernelVector128<Q5_1Vector128>()),
        (GgmlType.Q2_K, KernelIsa.Vector128, () => new KQuantKernelVector128<Q2_KVector128>()),
        (GgmlType.Q3_K, KernelIsa.Vector128, () => new KQuantKernelVector128<Q3_KVector128>()),
        (GgmlType.Q4_K, KernelIsa.Vector128, () => new KQuantKernelVector128<Q4_KVector128>()),
        (GgmlType.Q5_K, KernelIsa.Vector128, () => new KQuantKernelVector128<Q5_KVector128>()),
        (GgmlType.Q6_K, KernelIsa.Vector128, () => new KQuantKernelVector128<Q6_KVector128>()),
        (GgmlType.Q4_0, KernelIsa.Avx2, () => new BlockKernelAvx2<Q4_0Avx2>()),
        (GgmlType.Q4_1, KernelIsa.Avx2, () => new BlockKernelAvx2<Q4_1Avx2>()),
        (GgmlType.Q5_0, KernelIsa.Avx2, () => new BlockKernelAvx2<Q5_0Avx2>()),
        (GgmlType.Q5_1, KernelIsa.Avx2, () => new BlockKernelAvx2<Q5_1Avx2>()),
        (GgmlType.Q8_0, KernelIsa.Avx2, () => new BlockKernelAvx2<Q8_0Avx2>()),
        (GgmlType.F32, KernelIsa.Avx2, () => new FloatKernelAvx2<F32Row>()),
        (GgmlType.F16, KernelIsa.Avx2, () => new F16KernelAvx2()),
        (GgmlType.BF16, KernelIsa.Avx2, () => new FloatKernelAvx2<BF16Row>()),
        (GgmlType.Q2_K, KernelIsa.Avx2, () => new KQuantKernelAvx2<Q2_KAvx2>()),
        (GgmlType.Q3_K, KernelIsa.Avx2, () => new KQuantKernelAvx2<Q3_KAvx2>()),
        (GgmlType.Q4_K, KernelIsa.Avx2, () => new KQuantKernelAvx2<Q4_KAvx2>()),
        (GgmlType.Q5_K, KernelIsa.Avx2, () => new KQuantKernelAvx2<Q5_KAvx2>()),
        (GgmlType.Q6_K, KernelIsa.Avx2, () => new KQuantKernelAvx2<Q6_KAvx2>()),
        (GgmlType.F32, KernelIsa.Avx512, () => new FloatKernelAvx512<F32Row>()),
        (GgmlType.F16, KernelIsa.Avx512, () => new F16KernelAvx512()),
        (GgmlType.BF16, KernelIsa.Avx512, () => new FloatKernelAvx512<BF16Row>()),
        (GgmlType.Q4_0, KernelIsa.Avx512, () => new Q4_0KernelAvx512()),
        (GgmlType.Q4_1, KernelIsa.Avx512, () => new Q4_1KernelAvx512()),
        (GgmlType.Q5_0, KernelIsa.Avx512, () => new Q5_0KernelAvx512()),
        (GgmlType.Q5_1, KernelIsa.Avx512, () => new Q5_1KernelAvx512()),
        (GgmlType.Q8_0, KernelIsa.Avx512, () => new Q8_0KernelAvx512()),
        (GgmlType.Q2_K, KernelIsa.Avx512, () => new Q2_KKernelAvx512()),
        (GgmlType.Q3_K, KernelIsa.Avx512, () => new Q3_KKernelAvx512()),
        (GgmlType.Q4_K, KernelIsa.Avx512, () => new Q4_KKernelAvx512()),
        (GgmlType.Q5_K, KernelIsa.Avx512, () => new Q5_KKernelAvx512()),
        (GgmlType.Q6_K, KernelIsa.Avx512, () => new Q6_KKernelAvx512()),
    ];

    // [isa][type]: built once for the levels this CPU runs.
    private static readonly Dictionary<GgmlType, MatMulKernel>[] s_kernels = Build();

    // Kernels of weights laid out in panels: AVX2 and up, and the reference below that.
    private static readonly Dictionary<GgmlType, MatMulKernel> s_panelKernels = new()
    {
        [GgmlType.Q4_0] = new PanelKernelAvx2<Q4_0Avx2>(),
        [GgmlType.Q4_1] = new PanelKernelAvx2<Q4_1Avx2>(),
        [GgmlType.Q5_0] = new PanelKernelAvx2<Q5_0Avx2>(),
        [GgmlType.Q5_1] = new PanelKernelAvx2<Q5_1Avx2>(),
        [GgmlType.Q8_0] = new PanelKernelAvx2<Q8_0Avx2>(),
        [GgmlType.Q4_K] = new KQuantPanelKernelAvx2<Q4_KPanelAvx2>(),
        [GgmlType.Q6_K] = new KQuantPanelKernelAvx2<Q6_KPanelAvx2>(),
    };

    private static readonly Dictionary<GgmlType, MatMulKernel> s_panelReferences = TensorTypes.All
        .Where(WeightPanels.Supports).ToDictionary(t => t.Type, MatMulKernel (t) => new PanelReferenceKernel(t));

    /// <summary>The kernel for <paramref name="type"/> in <paramref name="layout"/> at <paramref name="isa"/>.</summary>
    public static MatMulKernel Get(TensorType type, KernelIsa isa, WeightLayout layout)
    {
        if (layout == WeightLayout.RowMajor)
            return Get(type, isa);
        if (!KernelIsas.IsSupported(isa))
            throw new PlatformNotSupportedException($"This CPU does not run {isa} kernels (best: {KernelIsas.Best}).");
        if (!WeightPanels.Supports(type))
            throw new ArgumentException($"{type.Name} has no {layout} layout.", nameof(layout));
        return isa >= KernelIsa.Avx2 ? s_panelKernels[type.Type] : s_panelReferences[type.Type];
    }

    /// <summary>The kernel for <paramref name="type"/> at <paramref name="isa"/> (which this CPU must support).</summary>
    public static MatMulKernel Get(TensorType type, KernelIsa isa)
    {
        if (!KernelIsas.IsSupported(isa))
            throw new PlatformNotSupportedException($"This CPU does not run {isa} kernels (best: {KernelIsas.Best}).");
        return s_kernels[(int)isa].TryGetValue(type.Type, out var kernel) ? kernel : new DequantizingKernel(type);
    }

    private static Dictionary<GgmlType, MatMulKernel>[] Build()
    {
        var levels = new Dictionary<GgmlType, MatMulKernel>[(int)KernelIsas.Best + 1];
        for (var isa = KernelIsa.Scalar; isa <= KernelIsas.Best; isa++)
        {
            var kernels = new Dictionary<GgmlType, MatMulKernel>();
            foreach (var type in TensorTypes.All)
            {
                Func<MatMulKernel>? create = null;
                var found = KernelIsa.Scalar;
                foreach (var row in s_rows)
                {
                    if (row.Type == type.Type && row.Isa <= isa && (create is null || row.Isa > found))
                        (create, found) = (row.Create, row.Isa);
                }
                kernels[type.Type] = create is null ? new DequantizingKernel(type) : create();
            }
            levels[(int)isa] = kernels;
        }
        return levels;
    }
}
