using Mote.Gguf;
using Mote.Tokenizers;

namespace Mote.Engine.Loading;

/// <summary>Builds the <see cref="Tokenizer"/> a GGUF file describes.</summary>
public static class TokenizerLoader
{
    /// <summary>Opens <paramref name="ggufPath"/>, reads its vocabulary and creates the matching tokenizer.</summary>
    /// <exception cref="GgufFormatException">The file or its tokenizer metadata is malformed.</exception>
    /// <exception cref="NotSupportedException">The tokenizer model is not supported.</exception>
    public static Tokenizer Load(string ggufPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(ggufPath);
        using var file = GgufFile.Open(ggufPath);
        return Tokenizer.Create(VocabularyLoader.Load(file));
    }
}
