using System.Text.Json;
using Mote.Cli.Commands;
using Mote.Testing;

namespace Mote.Cli.Tests;

/// <summary><c>mote generate</c> run in-process on stories260K, against llama.cpp's recorded greedy continuations.</summary>
public sealed class GenerateCommandTests
{
    private static string ModelPath => Fixtures.Path("stories260K", "stories260K-f32.gguf");

    [FixtureTheory]
    [InlineData("1")]
    [InlineData("2")]
    [InlineData("3")]
    public void Generate_GreedyWithAnyThreadCount_MatchesLlamaCppContinuation(string threads)
    {
        var golden = GoldenRun.Load(Fixtures.Path("golden", "golden-stories260K-f32-kvf32-noFA.json")).Prompts[0];

        var (exit, output, error) = Invoke("generate", "-m", ModelPath, "-p", golden.Text, "--temp", "0", "-n", "32",
            "--ignore-eos", "--threads", threads, "--json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        var tokens = json.RootElement.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(golden.GreedyIds[..32], tokens);
    }

    [FixtureFact]
    public void Generate_NegativeThreads_FailsNamingTheOption()
    {
        var (exit, _, error) = Invoke("generate", "-m", ModelPath, "-p", "Once", "--threads", "-2");

        Assert.NotEqual(0, exit);
        Assert.Contains("--threads", error, StringComparison.Ordinal);
    }

    private static (int Exit, string Output, string Error) Invoke(params string[] args) => CommandRun.Invoke(GenerateCommand.Create(), args);
}
