using Mote.Engine.Loading;

namespace Mote.Engine.Blocks;

/// <summary>One linear map of a layer and where its output goes: Y = X·Wᵀ (+ b).</summary>
public readonly record struct Projection(WeightMatrix Weights, float[] Y, float[]? Bias = null);
