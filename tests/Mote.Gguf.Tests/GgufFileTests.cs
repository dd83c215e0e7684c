using Mote.Gguf;
using Mote.Numerics.Formats;
using Mote.Testing;

namespace Mote.Gguf.Tests;

public sealed class GgufFileTests
{
    [FixtureFact]
    public void Open_Stories260KF32_ReadsHyperParametersAndTensors()
    {
        using var file = GgufFile.Open(Fixtures.Path("stories260K", "stories260K-f32.gguf"));

        Assert.Equal(3u, file.Version);
        Assert.Equal("llama", file.Metadata.GetString("general.architecture"));
        Assert.Equal(64, file.Metadata.GetInt64("llama.embedding_length"));
        Assert.Equal(512, file.Metadata.GetInt64("llama.context_length"));
        Assert.Equal(512, file.Metadata.GetArray<string>("tokenizer.ggml.tokens").Length);
        Assert.Equal(48, file.Tensors.Count);
        var embeddings = file.FindTensor("token_embd.weight")!;
        Assert.Equal(GgmlType.F32, embeddings.Type);
        Assert.Equal([64L, 512L], embeddings.Shape);
        Assert.Equal(64 * 512 * 4, file.GetTensorData(embeddings).Length);
    }

    [FixtureFact]
    public unsafe void ReleaseTensorPages_ThenRead_GivesTheSameBytes_AndRangesOutsideAreRejected()
    {
        using var file = GgufFile.Open(Fixtures.Path("stories260K", "stories260K-f32.gguf"));
        var embeddings = file.FindTensor("token_embd.weight")!;
        var before = file.GetTensorData(embeddings).ToArray();
        file.ReleaseTensorPages(embeddings);
        Assert.Equal(before, file.GetTensorData(embeddings).ToArray()); // faulted back in from the page cache
        var start = file.GetTensorPointer(embeddings);
        Assert.Throws<ArgumentOutOfRangeException>(() => file.ReleasePages(start, file.FileLength));
        Assert.Throws<ArgumentOutOfRangeException>(() => file.ReleasePages(start - file.FileLength, 16));
    }
}
