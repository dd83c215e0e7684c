using System.Numerics.Tensors;
using Mote.Engine.Loading;
using Mote.Numerics.Kernels;

namespace Mote.Engine.Blocks;

/// <summary>Y = X·Wᵀ (+ b) for a batch of n rows, over a weight matrix in its stored type.</summary>
public static class Linear
{
    /// <param name="x">Input rows. (n, columns)</param>
    /// <param name="y">Output rows. (n, rows)</param>
    /// <param name="sameInput">x is unchanged since the previous product on this context (see <see cref="MatMul.Multiply"/>).</param>
    public static void Apply(MatMulContext context, WeightMatrix weights, ReadOnlySpan<float> x, int n, Span<float> y, float[]? bias = null,
        bool sameInput = false)
    {
        ArgumentNullException.ThrowIfNull(weights);
        unsafe
        {
            MatMul.Multiply(context, weights.Type, (nint)weights.Data, weights.Rows, weights.Columns, x, n, y, sameInput);
        }
        if (bias is null)
            return;
        for (var i = 0; i < n; i++)
        {
            var row = y.Slice(i * weights.Rows, weights.Rows);
            TensorPrimitives.Add(row, bias, row);
        }
    }
}
