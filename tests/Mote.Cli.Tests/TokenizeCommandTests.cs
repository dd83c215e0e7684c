using System.Text.Json;
using Mote.Cli.Commands;
using Mote.Testing;

namespace Mote.Cli.Tests;

/// <summary><c>mote tokenize</c> run in-process on stories260K, against llama.cpp's recorded prompt tokens.</summary>
public sealed class TokenizeCommandTests
{
    private static string ModelPath => Fixtures.Path("stories260K", "stories260K-f32.gguf");

    [FixtureFact]
    public void Tokenize_Text_PrintsLlamaCppIdsWithBos()
    {
        var prompt = GoldenPrompt("punct_numbers_unicode");

        var (exit, output, error) = Invoke("tokenize", "--model", ModelPath, prompt.Text);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Equal(string.Join(' ', prompt.WithSpecial), output.TrimEnd('\n', '\r'));
    }

    [FixtureFact]
    public void Tokenize_NoBosJson_PrintsJsonArrayWithoutBos()
    {
        var prompt = GoldenPrompt("byte_fallback_newline");

        var (exit, output, _) = Invoke("tokenize", "--model", ModelPath, "--no-bos", "--json", prompt.Text);

        Assert.Equal(0, exit);
        Assert.Equal(prompt.WithoutSpecial, JsonSerializer.Deserialize<int[]>(output));
    }

    [FixtureFact]
    public void Tokenize_InputFile_PrintsOneIdArrayPerString()
    {
        var prompts = GoldenPrompts();
        var file = Path.Combine(RepoPaths.NewTempDirectory(), "prompts.json");
        File.WriteAllText(file, JsonSerializer.Serialize(prompts.Select(p => p.Text).ToArray()));

        var (exit, output, _) = Invoke("tokenize", "-m", ModelPath, "--input-file", file);

        Assert.Equal(0, exit);
        var ids = JsonSerializer.Deserialize<int[][]>(output)!;
        Assert.Equal(prompts.Select(p => p.WithSpecial), ids);
    }

    [FixtureFact]
    public void Tokenize_NoTextAndNoInputFile_FailsWithMessage()
    {
        var (exit, _, error) = Invoke("tokenize", "--model", ModelPath);

        Assert.Equal(1, exit);
        Assert.Contains("TEXT", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokenize_MissingModelFile_FailsWithMessage()
    {
        var missing = Path.Combine(RepoPaths.NewTempDirectory(), "missing.gguf");

        var (exit, _, error) = Invoke("tokenize", "--model", missing, "hello");

        Assert.Equal(1, exit);
        Assert.Contains("missing.gguf", error, StringComparison.Ordinal);
    }

    private static (int Exit, string Output, string Error) Invoke(params string[] args) => CommandRun.Invoke(TokenizeCommand.Create(), args);

    private sealed record Prompt(string Id, string Text, int[] WithSpecial, int[] WithoutSpecial);

    private static Prompt GoldenPrompt(string id) => GoldenPrompts().Single(p => p.Id == id);

    private static Prompt[] GoldenPrompts()
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Fixtures.Path("golden", "golden-stories260K-f32-kvf32-noFA.json")));
        return json.RootElement.GetProperty("prompts").EnumerateArray()
            .Select(p => new Prompt(
                p.GetProperty("id").GetString()!,
                p.GetProperty("text").GetString()!,
                p.GetProperty("tokens_with_special").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                p.GetProperty("tokens_without_special").EnumerateArray().Select(e => e.GetInt32()).ToArray()))
            .ToArray();
    }
}
