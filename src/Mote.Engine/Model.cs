using Mote.Engine.Loading;
using Mote.Gguf;
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

    private Model(GgufFile file, HyperParameters hyperParameters, ModelWeights weights, Tokenizer tokenizer)
    {
        _file = file;
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
    /// <exception cref="GgufFormatException">The file is not valid GGUF.</exception>
    /// <exception cref="ModelLoadException">The file is valid but not a model Mote can run.</exception>
    public static Model Load(string path)
    {
        var file = GgufFile.Open(path);
        try
        {
            var vocabulary = VocabularyLoader.Load(file);
            var hyperParameters = HyperParameters.Read(file, vocabulary.Count);
            if (hyperParameters.VocabularySize != vocabulary.Count)
                throw new ModelLoadException($"{path}: the model has {hyperParameters.VocabularySize} logits but the tokenizer {vocabulary.Count} tokens.");
            var weights = ModelWeights.Bind(file, hyperParameters);
            Tokenizer tokenizer;
            try
            {
                tokenizer = Tokenizer.Create(vocabulary);
            }
            catch (NotSupportedException e)
            {
                throw new ModelLoadException($"{path}: {e.Message}", e);
            }
            return new Model(file, hyperParameters, weights, tokenizer);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public void Dispose() => _file.Dispose();
}
