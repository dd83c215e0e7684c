using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Mote.Numerics.Threading;

namespace Mote.Numerics.Kernels;

/// <summary>
/// The reusable state of matrix multiplication for one caller (an inference session): the worker pool, the
/// preallocated job that carries each call's arguments to the workers, and scratch memory (quantized
/// activations, per-thread buffers) that grows to the largest call seen and is then reused, so the hot path
/// allocates nothing. Not thread-safe: one context per concurrently running session.
/// </summary>
public sealed unsafe class MatMulContext
{
    private const int Alignment = 64;
    private byte[]? _activations;
    private float[][] _scratch = [];
    private int _scratchFloats;

    // What the activation scratch holds: x (at this address, n × cols) prepared for this kernel.
    private MatMulKernel? _preparedKernel;
    private nint _preparedX;
    private int _preparedTokens, _preparedCols;

    public MatMulContext(WorkerPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        Pool = pool;
        Isa = KernelIsas.Best;
    }

    public WorkerPool Pool { get; }

    internal MatMulJob Job { get; } = new();

    /// <summary>The instruction-set level of the kernels used; tests lower it to check every path.</summary>
    internal KernelIsa Isa { get; set; }

    /// <summary>At least <paramref name="bytes"/> of 64-byte-aligned activation scratch.</summary>
    internal byte* Activations(long bytes)
    {
        if (_activations is null || _activations.Length < bytes + Alignment)
            _activations = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, Grow(_activations?.Length ?? 0, bytes + Alignment)), pinned: true);
        return Align(_activations);
    }

    /// <summary>Whether the activation scratch holds <paramref name="x"/> as prepared by <paramref name="kernel"/>.</summary>
    internal bool HasPrepared(MatMulKernel kernel, float* x, int tokens, int cols) =>
        ReferenceEquals(kernel, _preparedKernel) && (nint)x == _preparedX && tokens == _preparedTokens && cols == _preparedCols;

    /// <summary>Forgets what the activation scratch holds (its x has changed).</summary>
    internal void ClearPrepared() => _preparedKernel = null;

    /// <summary>Records what the activation scratch is about to hold.</summary>
    internal void SetPrepared(MatMulKernel kernel, float* x, int tokens, int cols) =>
        (_preparedKernel, _preparedX, _preparedTokens, _preparedCols) = (kernel, (nint)x, tokens, cols);

    /// <summary>Makes sure every thread has <paramref name="floats"/> floats of scratch (call before running).</summary>
    internal void EnsureScratch(int floats)
    {
        if (_scratch.Length == Pool.ThreadCount && _scratchFloats >= floats)
            return;
        _scratchFloats = Math.Max(floats, _scratchFloats);
        _scratch = new float[Pool.ThreadCount][];
        for (var i = 0; i < _scratch.Length; i++)
            _scratch[i] = GC.AllocateUninitializedArray<float>(_scratchFloats + Alignment / sizeof(float), pinned: true);
    }

    /// <summary>Thread <paramref name="worker"/>'s scratch (see <see cref="EnsureScratch"/>).</summary>
    internal float* Scratch(int worker) =>
        _scratchFloats == 0 ? null : (float*)Align(MemoryMarshal.AsBytes(_scratch[worker].AsSpan()));

    private static long Grow(long current, long needed) => Math.Max(needed, current + current / 2);

    private static byte* Align(Span<byte> pinned)
    {
        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(pinned));
        return (byte*)((address + Alignment - 1) & ~(nint)(Alignment - 1));
    }
}
