namespace Mote.Engine.Architectures;

/// <summary>How rotary position embedding pairs up the dimensions of a head.</summary>
public enum RopeStyle
{
    /// <summary>Adjacent pairs (x[2i], x[2i+1]): llama.cpp's "normal" mode, used by llama conversions.</summary>
    Interleaved,

    /// <summary>Halves (x[i], x[i + d/2]): GPT-NeoX style, used by Qwen2.</summary>
    NeoX,
}
