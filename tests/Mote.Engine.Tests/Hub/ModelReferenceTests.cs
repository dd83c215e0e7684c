using Mote.Engine.Hub;

namespace Mote.Engine.Tests.Hub;

public sealed class ModelReferenceTests
{
    [Fact]
    public void Parse_ShippedAlias_ResolvesToItsRepositoryAndFile()
    {
        var reference = ModelReference.Parse("qwen2.5-0.5b-instruct");

        Assert.Equal("Qwen/Qwen2.5-0.5B-Instruct-GGUF", reference.Repository);
        Assert.Equal("qwen2.5-0.5b-instruct-q8_0.gguf", reference.File);
        Assert.Equal("main", reference.Revision);
        Assert.Equal("qwen2.5-0.5b-instruct", reference.Alias);
    }

    [Fact]
    public void Aliases_IncludeTheDefaultAndTheFourDocumentedModels()
    {
        var names = ModelAliases.All.Select(a => a.Name).ToList();

        Assert.Equal(["smollm2-135m-instruct", "smollm2-360m-instruct", "qwen2.5-0.5b-instruct", "llama3.2-1b-instruct"], names);
        Assert.Contains(ModelAliases.Default, names);
        Assert.All(ModelAliases.All, a => Assert.EndsWith(".gguf", a.File, StringComparison.Ordinal));
        Assert.All(ModelAliases.All, a => Assert.EndsWith("-GGUF", a.Repository, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF", "Qwen/Qwen2.5-0.5B-Instruct-GGUF", null, "main")]
    [InlineData("hf:owner/repo:model-Q8_0.gguf", "owner/repo", "model-Q8_0.gguf", "main")]
    [InlineData("hf:owner/repo@v1.0:sub/dir/model.gguf", "owner/repo", "sub/dir/model.gguf", "v1.0")]
    [InlineData("HF:owner/repo", "owner/repo", null, "main")]
    public void Parse_HuggingFaceReference_SplitsRepositoryRevisionAndFile(string spec, string repository, string? file, string revision)
    {
        var reference = ModelReference.Parse(spec);

        Assert.Equal(repository, reference.Repository);
        Assert.Equal(file, reference.File);
        Assert.Equal(revision, reference.Revision);
        Assert.Null(reference.Alias);
    }

    [Theory]
    [InlineData("no-such-alias")]
    [InlineData("hf:justarepo")]
    [InlineData("hf:a/b/c")]
    [InlineData("hf:owner/repo:")]
    [InlineData("hf:owner/repo:../escape.gguf")]
    [InlineData("hf:owner/..")]
    public void Parse_Invalid_ExplainsWhatIsAccepted(string spec)
    {
        var e = Assert.Throws<ArgumentException>(() => ModelReference.Parse(spec));

        Assert.Contains(spec.Split(':')[0].Length > 0 ? "'" : "", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnknownAlias_ListsTheAliases()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelReference.Parse("gpt-5"));

        Assert.Contains(ModelAliases.Default, e.Message, StringComparison.Ordinal);
        Assert.Contains("hf:OWNER/REPO", e.Message, StringComparison.Ordinal);
    }
}
