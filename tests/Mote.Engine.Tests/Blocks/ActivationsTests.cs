using Mote.Engine.Blocks;

namespace Mote.Engine.Tests.Blocks;

public sealed class ActivationsTests
{
    // Relative tolerance of the vectorized SwiGLU against the scalar definition: a few float ulps (the vector
    // exponential is not the libm one).
    private const float SwiGluTolerance = 4e-6f;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(511)]
    [InlineData(512)]
    [InlineData(513)]
    [InlineData(1536 * 3)]
    public void SwiGlu_MatchesScalarDefinition(int length)
    {
        var random = new Random(length);
        var gate = new float[length];
        var up = new float[length];
        for (var i = 0; i < length; i++)
        {
            // Mostly activations of a real scale, with saturating extremes mixed in.
            gate[i] = i % 97 == 3 ? (i % 2 == 0 ? 90f : -90f) : (float)(random.NextDouble() * 16 - 8);
            up[i] = (float)(random.NextDouble() * 6 - 3);
        }
        var expected = (float[])gate.Clone();
        Activations.SwiGluReference(expected, up);

        Activations.SwiGlu(gate, up);

        for (var i = 0; i < length; i++)
        {
            var allowed = SwiGluTolerance * Math.Max(1f, Math.Abs(expected[i]));
            Assert.True(Math.Abs(gate[i] - expected[i]) <= allowed, $"element {i}: {gate[i]} vs {expected[i]}");
        }
    }

    [Fact]
    public void SwiGlu_KnownValues()
    {
        // silu(0) = 0, silu(x) → x for large x, → 0 for very negative x; ln 3: σ = 3/4.
        float[] gate = [0f, 40f, -40f, MathF.Log(3f)];
        float[] up = [5f, 2f, 2f, 4f];
        Activations.SwiGlu(gate, up);
        Assert.Equal(0f, gate[0]);
        Assert.Equal(80f, gate[1], 1e-4f);
        Assert.Equal(0f, gate[2], 1e-12f);
        Assert.Equal(MathF.Log(3f) * 0.75f * 4f, gate[3], 1e-6f);
    }

    [Fact]
    public void SwiGlu_ShorterUp_Throws() =>
        Assert.Throws<ArgumentException>(() => Activations.SwiGlu(new float[4], new float[3]));
}
