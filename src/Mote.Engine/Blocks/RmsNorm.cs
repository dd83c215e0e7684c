namespace Mote.Engine.Blocks;

/// <summary>Root-mean-square layer norm: y = x / sqrt(mean(x²) + ε) · g.</summary>
public static class RmsNorm
{
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> gain, float epsilon, Span<float> y)
    {
        // Sum of squares in double, as ggml does, so long rows do not lose precision.
        double sum = 0;
        for (var i = 0; i < x.Length; i++)
            sum += x[i] * x[i];
        var scale = 1f / MathF.Sqrt((float)(sum / x.Length) + epsilon);
        for (var i = 0; i < x.Length; i++)
            y[i] = x[i] * scale * gain[i];
    }
}
