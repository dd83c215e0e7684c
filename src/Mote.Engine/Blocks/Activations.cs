using System.Numerics.Tensors;

namespace Mote.Engine.Blocks;

/// <summary>Element-wise pieces of the decoder block.</summary>
public static class Activations
{
    // Elements per vectorized pass of SwiGLU: the sigmoids of one pass live on the stack.
    private const int SwiGluChunk = 512;

    /// <summary>SwiGLU: gate = silu(gate) · up = gate · σ(gate) · up, in place in <paramref name="gate"/>.</summary>
    /// <remarks>
    /// Vectorized (a decode step of a 30-layer model takes tens of thousands of exponentials per row, which one
    /// scalar <c>MathF.Exp</c> each made a visible share of a batched step); <see cref="SwiGluReference"/> is the
    /// scalar form the tests compare it with.
    /// </remarks>
    public static void SwiGlu(Span<float> gate, ReadOnlySpan<float> up)
    {
        if (up.Length < gate.Length)
            throw new ArgumentException($"up holds {up.Length} values for {gate.Length} gates.", nameof(up));
        Span<float> sigmoid = stackalloc float[SwiGluChunk];
        for (var at = 0; at < gate.Length; at += SwiGluChunk)
        {
            var g = gate.Slice(at, Math.Min(SwiGluChunk, gate.Length - at));
            var s = sigmoid[..g.Length];
            TensorPrimitives.Sigmoid(g, s);
            TensorPrimitives.Multiply(g, s, g);
            TensorPrimitives.Multiply(g, up.Slice(at, g.Length), g);
        }
    }

    /// <summary>The scalar definition of <see cref="SwiGlu"/> (ggml's silu: x / (1 + e^−x)).</summary>
    internal static void SwiGluReference(Span<float> gate, ReadOnlySpan<float> up)
    {
        for (var i = 0; i < gate.Length; i++)
        {
            var g = gate[i];
            gate[i] = g / (1f + MathF.Exp(-g)) * up[i];
        }
    }

    /// <summary>Numerically stable softmax in place; the sum is kept in double as ggml does.</summary>
    public static void Softmax(Span<float> values)
    {
        var max = TensorPrimitives.Max(values);
        double sum = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var e = MathF.Exp(values[i] - max);
            values[i] = e;
            sum += e;
        }
        var inverse = (float)(1.0 / sum);
        TensorPrimitives.Multiply(values, inverse, values);
    }
}
