using Mote.Engine.Loading;
using Mote.Gguf;
using Mote.Numerics.Kernels.Quantized;
using Mote.Tokenizers;

namespace Mote.Engine;

/// <summary>
/// A loaded model: hyper-parameters, memory-mapped weights and tokenizer. Immutable and shared; each
/// conversation runs in its own <see cref="Runtime.InferenceSession"/>. Disposing unmaps the weights, so dispose
/// only after every session using it is done.
/// </summary>
public sealed class Model : IDisposable
{
    private readonly GgufFile _file;
    private readonly PanelWeights? _panels;

    private Model(GgufFile file, PanelWeights? panels, HyperParameters hyperParameters, ModelWeights weights, Tokenizer tokenizer)
    {
        _file = file;
        _panels = panels;
        HyperParameters = hyperParameters;
        Weights = weights;
        Tokenizer = tokenizer;
    }

    /// <summary>Path of the GGUF file.</summary>
    public string Path => _file.Path;

    /// <summary>The underlying file (metadata, tensor table).</summary>
    public GgufFile File => _file;

    public HyperParameters HyperParameters { get; }

    public ModelWeights Weights { get; }

    public Tokenizer Tokenizer { get; }

    /// <summary>The model's display name (<c>general.name</c>, else the file name).</summary>
    public string Name => _file.Metadata.TryGetString("general.name") ?? System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>Opens a GGUF file and binds everything needed to run it.</summary>
    /// <param name="path">The GGUF file.</param>
    /// <param name="interleaveWeights">
    /// Lay q4_0/q4_1/q5_0/q5_1/q8_0/q4_K/q6_K matrices out in panels of eight rows at load when this CPU's kernels gain from
    /// it (AVX2) and the mapped pages they were copied from can be released (Linux); false keeps every matrix as the
    /// file stores it (comparisons, tools that read rows).
    /// </param>
    /// <exception cref="GgufFormatException">The file is not valid GGUF.</exception>
    /// <exception cref="ModelLoadException">The file is valid but not a model Mote can run.</exception>
    public static Model Load(string path, bool interleaveWeights = true)
    {
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var file = GgufFile.Open(path);
        PanelWeights? panels = null;
        try
        {
            var vocabulary = VocabularyLoader.Load(file);
            var hyperParameters = HyperParameters.Read(file, vocabulary.Count);
            if (hyperParameters.VocabularySize != vocabulary.Count)
                throw new ModelLoadException($"{path}: the model has {hyperParameters.VocabularySize} logits but the tokenizer {vocabulary.Count} tokens.");
            Tokenizer tokenizer;
            try
            {
                tokenizer = Tokenizer.Create(vocabulary);
            }
            catch (NotSupportedException e)
            {
                throw new ModelLoadException($"{path}: {e.Message}", e);
            }
            // Before the weights are copied into panels: the garbage is returned before the copies are resident.
            ReturnLoadGarbage(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
            var weights = ModelWeights.Bind(file, hyperParameters);
            // Only where the file's copied pages can be released: elsewhere the copies would double resident memory.
            if (interleaveWeights && WeightPanels.Preferred && GgufFile.CanReleasePages)
            {
                panels = new PanelWeights();
                weights = panels.Interleave(weights, file);
            }
            return new Model(file, panels, hyperParameters, weights, tokenizer);
        }
        catch
        {
            panels?.Dispose();
            file.Dispose();
            throw;
        }
    }

    // Building a large vocabulary's tables (llama3: 128k tokens, 280k merges) allocates several times what they
    // keep, and the GC holds freed memory committed for the life of the process: after loading llama3.2-1b q4_0, an
    // ordinary full collection leaves 45 MB committed for 17 MB live, this one 17 MB (24 MB less resident). It
    // decommits what it frees, runs once per load, and only after a load that allocated enough to matter.
    private static void ReturnLoadGarbage(long allocatedBytes)
    {
        const long Threshold = 16 << 20;
        if (allocatedBytes >= Threshold)
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    public void Dispose()
    {
        _file.Dispose();
        _panels?.Dispose();
    }
}
