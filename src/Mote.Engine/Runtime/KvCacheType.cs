namespace Mote.Engine.Runtime;

/// <summary>How the KV cache stores keys and values (llama.cpp's <c>--cache-type-k/-v</c>).</summary>
public enum KvCacheType
{
    /// <summary>32-bit floats: exactly what the forward pass computed.</summary>
    F32,

    /// <summary>IEEE half floats: half the memory, rounded to nearest even as llama.cpp's f16 cache.</summary>
    F16,
}
