using Mote.Numerics.Formats;

namespace Mote.Numerics.Kernels;

/// <summary>
/// Matrix products against weights in their stored type, split over the worker pool by chunks of output rows:
/// <c>y (n × rows) = x (n × cols) · Wᵀ</c> where row r of W is stored at <c>weights + r · rowBytes</c>.
/// n = 1 is decode (matrix-vector); n > 1 is prefill, where each unpacked weight block serves several tokens.
/// Quantized types first quantize the activations once per call to the integer block form their kernel wants
/// (as ggml does), then take integer dot products; float types (f32, f16, bf16) use float activations.
/// </summary>
public static unsafe class MatMul
{
    /// <summary>Computes <c>y[t · rows + r] = W[r] · x[t · cols ..]</c> for every row r and token t &lt; n.</summary>
    /// <param name="context">The caller's context (pool and scratch); not shared between threads.</param>
    /// <param name="type">Storage type of the weights.</param>
    /// <param name="weights">Address of row 0; rows are <c>type.RowBytes(cols)</c> apart.</param>
    /// <param name="rows">Output features.</param>
    /// <param name="cols">Input features (a multiple of the type's block size).</param>
    /// <param name="x">n × cols activations.</param>
    /// <param name="n">Tokens.</param>
    /// <param name="y">n × rows results.</param>
    /// <param name="sameInput">
    /// x holds the same values, at the same address, as in the previous call on this context (Q, K and V of one
    /// normed input; gate and up): activations that call quantized for the same kernel are reused instead of
    /// quantized again, which saves a pass over x and a round trip of the worker pool.
    /// </param>
    public static void Multiply(MatMulContext context, TensorType type, nint weights, int rows, int cols,
        ReadOnlySpan<float> x, int n, Span<float> y, bool sameInput = false)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (cols % type.BlockSize != 0)
            throw new ArgumentException($"{type.Name}: {cols} columns is not a multiple of the block size {type.BlockSize}.", nameof(cols));
        if (x.Length < (long)n * cols)
            throw new ArgumentException($"x holds {x.Length} floats, {n} × {cols} needed.", nameof(x));
        if (y.Length < (long)n * rows)
            throw new ArgumentException($"y holds {y.Length} floats, {n} × {rows} needed.", nameof(y));
        if (rows == 0 || n == 0)
            return;
        if (weights == 0)
            throw new ArgumentNullException(nameof(weights));

        var kernel = KernelTable.Get(type, context.Isa);
        var activationBytes = kernel.ActivationBytes(cols, n);
        var activations = activationBytes > 0 ? context.Activations(kernel.ActivationBufferBytes(cols, n)) : null;
        context.EnsureScratch(kernel.ScratchFloats(cols, n));
        fixed (float* xp = x)
        fixed (float* yp = y)
        {
            var args = new MatMulArgs
            {
                Weights = (byte*)weights,
                RowBytes = type.RowBytes(cols),
                Rows = rows,
                Cols = cols,
                Tokens = n,
                X = xp,
                Activations = activations,
                ActivationStride = activationBytes,
                Y = yp,
            };
            var job = context.Job;
            // The record of what the scratch holds stays valid only through a run of calls on the same x: a call
            // on new values ends it even when its kernel prepares nothing (a float or dequantizing kernel), or a
            // later call told "same input as the previous one" would take activations of older values.
            if (!sameInput)
                context.ClearPrepared();
            if (activationBytes > 0 && !(sameInput && context.HasPrepared(kernel, xp, n, cols)))
            {
                context.SetPrepared(kernel, xp, n, cols);
                if (n == 1)
                {
                    // One token quantizes in about a microsecond: not worth waking the workers for.
                    kernel.PrepareActivations(xp, cols, activations);
                }
                else
                {
                    job.SetPrepare(kernel, args);
                    context.Pool.Run(job);
                }
            }
            job.SetCompute(kernel, args, context, context.Pool.ThreadCount);
            context.Pool.Run(job);
        }
    }
}
