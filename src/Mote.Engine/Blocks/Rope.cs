using Mote.Engine.Architectures;

namespace Mote.Engine.Blocks;

/// <summary>
/// Rotary position embedding. The angle of pair i at position p is p · base^(−2i/d) · scale / factor[i],
/// computed with the same float recurrence as ggml's rope cache so results match llama.cpp closely.
/// </summary>
public sealed class Rope
{
    private readonly RopeStyle _style;
    private readonly int _dimensions;
    private readonly float _thetaScale;
    private readonly float _freqScale;
    private readonly float[]? _freqFactors;

    public Rope(RopeStyle style, int dimensions, float freqBase, float freqScale, float[]? freqFactors)
    {
        _style = style;
        _dimensions = dimensions;
        _thetaScale = MathF.Pow(freqBase, -2f / dimensions);
        _freqScale = freqScale;
        _freqFactors = freqFactors;
    }

    /// <summary>Fills <paramref name="cosSin"/> (length = rotated dimensions) with cos/sin pairs for a position.</summary>
    public void Angles(int position, Span<float> cosSin)
    {
        var theta = (float)position;
        for (var i = 0; i < _dimensions; i += 2)
        {
            var factor = _freqFactors is null ? 1f : _freqFactors[i / 2];
            var angle = _freqScale * (theta / factor);
            cosSin[i] = MathF.Cos(angle);
            cosSin[i + 1] = MathF.Sin(angle);
            theta *= _thetaScale;
        }
    }

    /// <summary>Rotates each head of <paramref name="heads"/> (heads × headDim, in place) by precomputed angles.</summary>
    public void Apply(Span<float> heads, int headDim, ReadOnlySpan<float> cosSin)
    {
        for (var offset = 0; offset < heads.Length; offset += headDim)
        {
            var head = heads.Slice(offset, headDim);
            if (_style == RopeStyle.Interleaved)
            {
                for (var i = 0; i < _dimensions; i += 2)
                {
                    float c = cosSin[i], s = cosSin[i + 1], x0 = head[i], x1 = head[i + 1];
                    head[i] = x0 * c - x1 * s;
                    head[i + 1] = x0 * s + x1 * c;
                }
            }
            else
            {
                var half = _dimensions / 2;
                for (var i = 0; i < _dimensions; i += 2)
                {
                    float c = cosSin[i], s = cosSin[i + 1], x0 = head[i / 2], x1 = head[i / 2 + half];
                    head[i / 2] = x0 * c - x1 * s;
                    head[i / 2 + half] = x0 * s + x1 * c;
                }
            }
        }
    }
}
