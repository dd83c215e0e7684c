using Mote.Numerics.Kernels.Quantized;
namespace Mote.Numerics.Kernels;

/// <summary>
/// One weight type's matrix product at one <see cref="KernelIsa"/> level: how a token's float activations are
/// prepared (quantized once per call to the integer block type the weights want, or used as they are) and how
/// a range of weight rows is multiplied with every prepared token.
/// </summary>
internal abstract unsafe class MatMulKernel
{
    /// <summary>
    /// Initializes the scale table before any kernel method is compiled: the kernels are compiled fully optimized on
    /// their first call, and a class still uninitialized then costs an initialization check and a reload of the
    /// table's address in every block of the loop (measured: accumulators spilled to the stack).
    /// </summary>
    protected MatMulKernel() => HalfScales.EnsureInitialized();

    /// <summary>
    /// Bytes one token's prepared activations take (a multiple of 64), or 0 when <see cref="Compute"/> reads
    /// the float activations directly.
    /// </summary>
    public abstract int ActivationBytes(int cols);

    /// <summary>
    /// <see cref="ActivationBytes(int)"/> for a call with <paramref name="tokens"/> tokens: a kernel that prepares
    /// activations only for some calls (e.g. decode) returns 0 for the others.
    /// </summary>
    public virtual int ActivationBytes(int cols, int tokens) => ActivationBytes(cols);

    /// <summary>
    /// Bytes of prepared activations a call with <paramref name="tokens"/> tokens needs in all; by default
    /// <see cref="ActivationBytes(int, int)"/> per token.
    /// </summary>
    public virtual long ActivationBufferBytes(int cols, int tokens) => (long)ActivationBytes(cols, tokens) * tokens;

    /// <summary>
    /// Prepares token <paramref name="t"/> of a call; by default <see cref="PrepareActivations"/> into the token's
    /// own <c>ActivationStride</c> bytes. A kernel that lays the tokens out together overrides this.
    /// </summary>
    public virtual void Prepare(in MatMulArgs args, int t) =>
        PrepareActivations(args.X + (long)t * args.Cols, args.Cols, args.Activations + t * args.ActivationStride);

    /// <summary>Prepares one token: <paramref name="x"/> holds <paramref name="cols"/> floats.</summary>
    public virtual void PrepareActivations(float* x, int cols, byte* destination) =>
        throw new NotSupportedException($"{GetType().Name} reads float activations.");

    /// <summary>
    /// The values prepared activations stand for (quantized kernels: d · q), so tests can check the integer
    /// arithmetic exactly, apart from float rounding.
    /// </summary>
    public virtual void ExpandActivations(byte* prepared, int cols, float* destination) =>
        throw new NotSupportedException($"{GetType().Name} reads float activations.");

    /// <summary>Floats of per-thread scratch <see cref="Compute"/> needs (e.g. rows expanded to floats).</summary>
    public virtual int ScratchFloats(int cols) => 0;

    /// <summary><see cref="ScratchFloats(int)"/> for a call with <paramref name="tokens"/> tokens.</summary>
    public virtual int ScratchFloats(int cols, int tokens) => ScratchFloats(cols);

    /// <summary>Rows a call to <see cref="Compute"/> should be given at least (its row tile).</summary>
    public virtual int RowTile => 1;

    /// <summary>
    /// Most weight bytes per chunk of a call with <paramref name="tokens"/> (more than one) tokens. A kernel that
    /// passes over a chunk's weights once per block of tokens wants them to stay in L2 (~256 KB).
    /// </summary>
    public virtual long MaxChunkBytes(int tokens) => 256 << 10;

    /// <summary>
    /// <c>y[t · rows + r] = W[r] · x[t]</c> for rows <c>[rowStart, rowEnd)</c> and every token t.
    /// </summary>
    public abstract void Compute(in MatMulArgs args, int rowStart, int rowEnd, float* scratch);
}
