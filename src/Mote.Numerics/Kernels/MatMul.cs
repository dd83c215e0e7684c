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
    /// <param name="layout">How the weights' blocks are arranged (panels need rows in multiples of 8).</param>
    public static void Multiply(MatMulContext context, TensorType type, nint weights, int rows, int cols,
        ReadOnlySpan<float> x, int n, Span<float> y, bool sameInput = false, WeightLayout layout = WeightLayout.RowMajor)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        Check(type, cols, x, n);
        CheckLayout(type, rows, layout);
        if (y.Length < (long)n * rows)
            throw new ArgumentException($"y holds {y.Length} floats, {n} × {rows} needed.", nameof(y));
        if (rows == 0 || n == 0)
            return;
        if (weights == 0)
            throw new ArgumentNullException(nameof(weights));
        fixed (float* xp = x)
        fixed (float* yp = y)
        {
            Span<Segment> segments = [new Segment((byte*)weights, rows, yp)];
            Run(context, type, cols, xp, n, sameInput, layout, segments);
        }
    }

    /// <summary>
    /// The products of one input with two or three weight matrices of the same type (Q, K and V of a normed input;
    /// gate and up), in one round trip of the worker pool: <c>output.Y[t · output.Rows + r] = W[r] · x[t]</c> for each
    /// output. With small matrices (a 135M model's K and V are 192 × 576) the pool's wake-up and barrier cost as much
    /// as the product, so one call instead of three saves most of it. <paramref name="third"/> may be default.
    /// </summary>
    public static void Multiply(MatMulContext context, TensorType type, int cols, ReadOnlySpan<float> x, int n,
        MatMulOutput first, MatMulOutput second, MatMulOutput third = default, bool sameInput = false,
        WeightLayout layout = WeightLayout.RowMajor)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(type);
        Check(type, cols, x, n);
        CheckOutput(first, n, nameof(first));
        CheckOutput(second, n, nameof(second));
        var count = third.Y is null ? 2 : 3;
        if (count == 3)
            CheckOutput(third, n, nameof(third));
        CheckLayout(type, first.Rows, layout);
        CheckLayout(type, second.Rows, layout);
        if (count == 3)
            CheckLayout(type, third.Rows, layout);
        if (n == 0)
            return;
        fixed (float* xp = x)
        fixed (float* y0 = first.Y)
        fixed (float* y1 = second.Y)
        fixed (float* y2 = third.Y)
        {
            Span<Segment> segments =
            [
                new Segment((byte*)first.Weights, first.Rows, y0),
                new Segment((byte*)second.Weights, second.Rows, y1),
                new Segment((byte*)third.Weights, third.Rows, y2),
            ];
            Run(context, type, cols, xp, n, sameInput, layout, segments[..count]);
        }
    }

    private static void Check(TensorType type, int cols, ReadOnlySpan<float> x, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cols);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (cols % type.BlockSize != 0)
            throw new ArgumentException($"{type.Name}: {cols} columns is not a multiple of the block size {type.BlockSize}.", nameof(cols));
        if (x.Length < (long)n * cols)
            throw new ArgumentException($"x holds {x.Length} floats, {n} × {cols} needed.", nameof(x));
    }

    private static void CheckLayout(TensorType type, int rows, WeightLayout layout)
    {
        if (layout == WeightLayout.Panels8 && !(Quantized.WeightPanels.Supports(type) && rows % Quantized.WeightPanels.Rows == 0))
            throw new ArgumentException($"{type.Name} × {rows} rows has no {layout} layout.", nameof(layout));
    }

    private static void CheckOutput(MatMulOutput output, int n, string name)
    {
        ArgumentNullException.ThrowIfNull(output.Y, name);
        ArgumentOutOfRangeException.ThrowIfNegative(output.Rows, name);
        if (output.Weights == 0 && output.Rows > 0)
            throw new ArgumentNullException(name, "The weights' address is null.");
        if (output.Y.Length < (long)n * output.Rows)
            throw new ArgumentException($"{name}: y holds {output.Y.Length} floats, {n} × {output.Rows} needed.", name);
    }

    /// <summary>One matrix of a call: its rows and its output.</summary>
    private readonly struct Segment(byte* weights, int rows, float* y)
    {
        public byte* Weights { get; } = weights;

        public int Rows { get; } = rows;

        public float* Y { get; } = y;
    }

    private static void Run(MatMulContext context, TensorType type, int cols, float* xp, int n, bool sameInput, WeightLayout layout,
        ReadOnlySpan<Segment> segments)
    {
        var kernel = KernelTable.Get(type, context.Isa, layout);
        var activationBytes = kernel.ActivationBytes(cols, n);
        var activations = activationBytes > 0 ? context.Activations(kernel.ActivationBufferBytes(cols, n)) : null;
        context.EnsureScratch(kernel.ScratchFloats(cols, n));
        var rowBytes = type.RowBytes(cols);
        var first = new MatMulArgs
        {
            Weights = segments[0].Weights,
            RowBytes = rowBytes,
            Rows = segments[0].Rows,
            Cols = cols,
            Tokens = n,
            X = xp,
            Activations = activations,
            ActivationStride = activationBytes,
            Y = segments[0].Y,
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
                job.SetPrepare(kernel, first);
                context.Pool.Run(job);
            }
        }
        job.BeginCompute(kernel, context);
        foreach (var segment in segments)
        {
            if (segment.Rows > 0)
                job.AddSegment(first with { Weights = segment.Weights, Rows = segment.Rows, Y = segment.Y }, context.Pool.ThreadCount);
        }
        context.Pool.Run(job);
    }
}
