using System.Text.Json;
using Mote.Cli.Commands;
using Mote.Cli.Output;
using Mote.Gguf;
using Mote.Testing;

namespace Mote.Cli.Tests;

/// <summary><c>mote info</c> run in-process on the fixture GGUFs, checked against the facts in fixtures/README.md.</summary>
public sealed class InfoCommandTests
{
    [FixtureFact]
    public void InfoJson_Stories260KF32_DescribesHeaderMetadataAndTensors()
    {
        var path = Fixtures.Path("stories260K", "stories260K-f32.gguf");

        var (exit, output, error) = Invoke("info", path, "--json");

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(path, root.GetProperty("file").GetString());
        Assert.Equal(3, root.GetProperty("version").GetInt32());
        Assert.Equal(32, root.GetProperty("alignment").GetInt32());

        var metadata = root.GetProperty("metadata");
        Assert.Equal("llama", metadata.GetProperty("general.architecture").GetString());
        Assert.Equal(512, metadata.GetProperty("llama.context_length").GetInt32());
        Assert.Equal(4294967295L, metadata.GetProperty("tokenizer.ggml.padding_token_id").GetInt64());
        Assert.Equal(1e-5f, metadata.GetProperty("llama.attention.layer_norm_rms_epsilon").GetSingle());
        var tokens = metadata.GetProperty("tokenizer.ggml.tokens");
        Assert.Equal("string", tokens.GetProperty("element_type").GetString());
        Assert.Equal(512, tokens.GetProperty("count").GetInt32());
        Assert.Equal(["<unk>", "<s>", "</s>"], tokens.GetProperty("head").EnumerateArray().Select(t => t.GetString()));

        var tensors = root.GetProperty("tensors").EnumerateArray().ToList();
        Assert.Equal(48, tensors.Count);
        var embeddings = tensors.Single(t => t.GetProperty("name").GetString() == "token_embd.weight");
        Assert.Equal("F32", embeddings.GetProperty("type").GetString());
        Assert.Equal([64L, 512L], embeddings.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
        Assert.Equal(64 * 512 * 4, embeddings.GetProperty("bytes").GetInt64());

        // Every f32 tensor is a whole number of 32-byte blocks, so data start + data bytes = the file's size.
        var totals = root.GetProperty("totals");
        Assert.Equal(48, totals.GetProperty("tensors").GetInt32());
        Assert.Equal(1_185_376, root.GetProperty("data_offset").GetInt64() + totals.GetProperty("bytes").GetInt64());
        Assert.Equal(totals.GetProperty("bytes").GetInt64(), tensors.Sum(t => t.GetProperty("bytes").GetInt64()));
    }

    [FixtureFact]
    public void Info_Stories260KQ4KM_PrintsSummariesAndTensorTable()
    {
        var path = Fixtures.Path("stories260K", "stories260K-q4_k_m.gguf");

        var (exit, output, error) = Invoke("info", path);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains(path, output, StringComparison.Ordinal);
        Assert.Contains("[string × 512] \"<unk>\", \"<s>\", \"</s>\", …", output, StringComparison.Ordinal);
        Assert.Contains("Tensors (48)", output, StringComparison.Ordinal);
        // fixtures/README.md: in q4_k_m, token_embd falls back to Q5_0 and ffn_down is F16.
        Assert.Matches(@"token_embd\.weight\s+Q5_0\s+\[64, 512\]\s+22,528", output);
        Assert.Matches(@"blk\.0\.ffn_down\.weight\s+F16\s+\[172, 64\]\s+22,016", output);
        Assert.Contains("Total: 48 tensors", output, StringComparison.Ordinal);
    }

    [FixtureFact]
    public void InfoJson_VocabularyOnlyFile_HasNoTensors()
    {
        var (exit, output, _) = Invoke("info", "--json", Fixtures.Path("tokenizer", "ggml-vocab-qwen2.gguf"));

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Empty(json.RootElement.GetProperty("tensors").EnumerateArray());
        Assert.Equal(151936, json.RootElement.GetProperty("metadata").GetProperty("tokenizer.ggml.tokens").GetProperty("count").GetInt32());
        Assert.False(json.RootElement.GetProperty("metadata").GetProperty("tokenizer.ggml.add_bos_token").GetBoolean());
    }

    [FixtureFact]
    public void Info_TruncatedFile_PrintsTheFormatErrorAndExits1()
    {
        var path = Path.Combine(RepoPaths.NewTempDirectory(), "truncated.gguf");
        File.WriteAllBytes(path, File.ReadAllBytes(Fixtures.Path("stories260K", "stories260K-f32.gguf"))[..3000]);

        var (exit, output, error) = Invoke("info", path, "--json");

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Contains(path, error, StringComparison.Ordinal);
        Assert.Contains("'kv[tokenizer.ggml.tokens].count' at offset 61", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Mote.", error, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public void Info_MissingFile_Exits1WithOneLine()
    {
        var (exit, _, error) = Invoke("info", Path.Combine(RepoPaths.NewTempDirectory(), "absent.gguf"));

        Assert.Equal(1, exit);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void CommandCatalog_ListsInfo() => Assert.Contains(CommandCatalog.All(), c => c.Name == "info");

    [Fact]
    public void Format_LongStringArray_ShowsTypeCountAndHead()
    {
        var value = GgufValue.From(["<unk>", "<s>", "</s>", "a", "b"]);

        Assert.Equal("[string × 5] \"<unk>\", \"<s>\", \"</s>\", …", GgufValueText.Format(value));
        Assert.Equal("array[string]", GgufValueText.TypeOf(value));
    }

    [Fact]
    public void Quote_ControlCharactersAndRawBytes_AreEscapedButRealEmojiKept() =>
        Assert.Equal("\"a\\nb\\t\\\"\\xE4💀\"", GgufValueText.Quote("a\nb\t\"\uDCE4💀"));

    private static (int Exit, string Output, string Error) Invoke(params string[] args) => CommandRun.Invoke(InfoCommand.Create(), args);
}
