using System.Numerics.Tensors;
using Mote.Engine.Loading;
using Mote.Numerics.Kernels;

namespace Mote.Engine.Blocks;

/// <summary>Y = X·Wᵀ (+ b) for a batch of n rows, over a weight matrix in its stored type.</summary>
public static class Linear
{
    /// <param name="x">Input rows. (n, columns)</param>
    /// <param name="y">Output rows. (n, rows)</param>
    /// <param name="sameInput">x is unchanged since the previous product on this context (see <see cref="MatMul"/>).</param>
    public static void Apply(MatMulContext context, WeightMatrix weights, ReadOnlySpan<float> x, int n, Span<float> y, float[]? bias = null,
        bool sameInput = false)
    {
        ArgumentNullException.ThrowIfNull(weights);
        unsafe
        {
            MatMul.Multiply(context, weights.Type, (nint)weights.Data, weights.Rows, weights.Columns, x, n, y, sameInput, weights.Layout);
        }
        AddBias(y, bias, weights.Rows, n);
    }

    /// <summary>Whether the matrices can be applied to one input in one call: same stored type, layout and input width.</summary>
    public static bool CanShareInput(WeightMatrix first, WeightMatrix second, WeightMatrix? third = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return Same(first, second) && (third is null || Same(first, third));
    }

    private static bool Same(WeightMatrix first, WeightMatrix second) =>
        first.Type == second.Type && first.Layout == second.Layout && first.Columns == second.Columns;

    /// <summary>
    /// Two or three projections of the same input in one pass of the worker pool (Q, K and V; gate and up), which
    /// must satisfy <see cref="CanShareInput"/>.
    /// </summary>
    public static void Apply(MatMulContext context, ReadOnlySpan<float> x, int n, Projection first, Projection second, Projection? third = null)
    {
        ArgumentNullException.ThrowIfNull(first.Weights);
        ArgumentNullException.ThrowIfNull(second.Weights);
        if (!CanShareInput(first.Weights, second.Weights, third?.Weights))
            throw new ArgumentException("The projections differ in type or input width.", nameof(second));
        unsafe
        {
            MatMul.Multiply(context, first.Weights.Type, first.Weights.Columns, x, n, Output(first), Output(second),
                third is { } last ? Output(last) : default, layout: first.Weights.Layout);
        }
        AddBias(first.Y, first.Bias, first.Weights.Rows, n);
        AddBias(second.Y, second.Bias, second.Weights.Rows, n);
        if (third is { } t)
            AddBias(t.Y, t.Bias, t.Weights.Rows, n);
    }

    private static unsafe MatMulOutput Output(Projection p) => new((nint)p.Weights.Data, p.Weights.Rows, p.Y);

    private static void AddBias(Span<float> y, float[]? bias, int rows, int n)
    {
        if (bias is null)
            return;
        for (var i = 0; i < n; i++)
        {
            var row = y.Slice(i * rows, rows);
            TensorPrimitives.Add(row, bias, row);
        }
    }
}
