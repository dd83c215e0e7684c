using System.Runtime.InteropServices;
using Mote.Gguf;
using Mote.Numerics.Kernels;
using Mote.Numerics.Kernels.Quantized;

namespace Mote.Engine.Loading;

/// <summary>
/// Copies of a model's q4_0, q4_1, q5_0, q5_1, q8_0, q4_K and q6_K matrices interleaved into panels of eight rows at load, as
/// ggml's CPU repack does, so the AVX2 kernels skip interleaving them on every call (1.4–2× less time per call at one
/// to eight tokens). Each copy takes the bytes the tensor takes in the file, whose mapped pages are released as it
/// is copied, so the process's resident memory stays about the file's size. Owns the copies; disposed with the
/// <see cref="Model"/>.
/// </summary>
internal sealed unsafe class PanelWeights : IDisposable
{
    // Panels interleaved per parallel work item: about 1 MB of weights.
    private const long ChunkBytes = 1 << 20;
    private readonly List<nint> _copies = [];

    /// <summary>The weights with every matrix that has a panel layout replaced by its panel copy.</summary>
    public ModelWeights Interleave(ModelWeights weights, GgufFile file)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(file);
        var layers = weights.Layers.Select(layer => layer with
        {
            Query = Interleave(layer.Query, file),
            Key = Interleave(layer.Key, file),
            Value = Interleave(layer.Value, file),
            Output = Interleave(layer.Output, file),
            Gate = Interleave(layer.Gate, file),
            Up = Interleave(layer.Up, file),
            Down = Interleave(layer.Down, file),
        }).ToArray();
        var output = Interleave(weights.Output, file);
        return new ModelWeights
        {
            // Tied embeddings look rows up in the classifier's panels: reading the file's rows again would fault
            // its released pages back in, sixteen pages around each row (fault-around), most of the tensor soon.
            TokenEmbedding = ReferenceEquals(weights.TokenEmbedding, weights.Output) ? output : weights.TokenEmbedding,
            Layers = layers,
            OutputNorm = weights.OutputNorm,
            Output = output,
            RopeFreqFactors = weights.RopeFreqFactors,
        };
    }

    private WeightMatrix Interleave(WeightMatrix matrix, GgufFile file)
    {
        if (matrix.Layout != WeightLayout.RowMajor || !WeightPanels.CanInterleave(matrix.Type, matrix.Rows, matrix.Columns))
            return matrix;
        var bytes = matrix.ByteSize;
        var copy = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        var source = matrix.Data;
        var panelBytes = WeightPanels.Rows * (long)matrix.RowBytes;
        var panels = matrix.Rows / WeightPanels.Rows;
        var perChunk = (int)Math.Max(1, ChunkBytes / panelBytes);
        var refused = 0;
        var tensor = file.FindTensor(matrix.Name);
        Parallel.For(0, (panels + perChunk - 1) / perChunk, chunk =>
        {
            var first = chunk * perChunk;
            var count = Math.Min(perChunk, panels - first);
            var from = source + first * panelBytes;
            if (!WeightPanels.Interleave(matrix.Type, from, count * WeightPanels.Rows, matrix.Columns, copy + first * panelBytes))
                Interlocked.Exchange(ref refused, 1);
            // Copied pages go as the copy grows: a large tensor (a 145 MB classifier) would otherwise be resident
            // twice at the peak. Should the copy be refused after all, the kernels fault the pages back in.
            if (tensor is not null)
                file.ReleasePages(from, count * panelBytes);
        });
        if (refused != 0)
        {
            // A scale that is infinite or NaN: the row-major kernels reproduce what llama.cpp computes with it.
            NativeMemory.AlignedFree(copy);
            return matrix;
        }
        _copies.Add((nint)copy);
        if (tensor is not null)
            file.ReleaseTensorPages(tensor); // the pages that straddled two chunks
        return new WeightMatrix(matrix.Name, matrix.Type, matrix.Rows, matrix.Columns, copy, WeightLayout.Panels8);
    }

    public void Dispose()
    {
        foreach (var copy in _copies)
            NativeMemory.AlignedFree((void*)copy);
        _copies.Clear();
    }
}
