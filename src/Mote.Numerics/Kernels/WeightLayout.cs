namespace Mote.Numerics.Kernels;

/// <summary>How a weight matrix's blocks are arranged in memory.</summary>
public enum WeightLayout
{
    /// <summary>As GGUF stores them: row after row, each row's blocks in order.</summary>
    RowMajor,

    /// <summary>
    /// Eight rows interleaved into panels (<see cref="Quantized.WeightPanels"/>), as ggml's CPU repack does at load:
    /// the AVX2 integer kernels then read eight rows' quants as one vector without re-packing them per call.
    /// </summary>
    Panels8,
}
