namespace Mote.Numerics.Kernels;

/// <summary>The operands of one matrix product as raw pointers, shared by every thread working on it.</summary>
internal readonly unsafe struct MatMulArgs
{
    /// <summary>Row r of the weights starts at <c>Weights + r · RowBytes</c>.</summary>
    public required byte* Weights { get; init; }

    public required long RowBytes { get; init; }

    public required int Rows { get; init; }

    public required int Cols { get; init; }

    /// <summary>Tokens (activation vectors).</summary>
    public required int Tokens { get; init; }

    /// <summary>Token t's float activations at <c>X + t · Cols</c>.</summary>
    public required float* X { get; init; }

    /// <summary>Token t's prepared activations at <c>Activations + t · ActivationStride</c> (quantized kernels).</summary>
    public required byte* Activations { get; init; }

    public required long ActivationStride { get; init; }

    /// <summary>Output: token t, row r at <c>Y[t · Rows + r]</c>.</summary>
    public required float* Y { get; init; }
}
