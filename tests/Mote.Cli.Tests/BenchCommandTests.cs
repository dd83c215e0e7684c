using System.Text.Json;
using Mote.Cli.Commands;
using Mote.Testing;

namespace Mote.Cli.Tests;

/// <summary><c>mote bench</c> run in-process on stories260K: the llama-bench options that skip a test.</summary>
public sealed class BenchCommandTests
{
    private static string ModelPath => Fixtures.Path("stories260K", "stories260K-q8_0.gguf");

    [FixtureFact]
    public void Bench_NoGenerationTest_PrintsOnlyThePrefillFigures()
    {
        var (exit, output, error) = Invoke("bench", "-m", ModelPath, "-p", "16", "-n", "0", "-r", "1", "--probe-mib", "0", "--json");

        Assert.True(exit == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.True(json.RootElement.GetProperty("pp_tps").GetDouble() > 0);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("tg_tps").ValueKind);
    }

    [FixtureFact]
    public void Bench_NothingToMeasure_FailsWithOneLine()
    {
        var (exit, _, error) = Invoke("bench", "-m", ModelPath, "-p", "0", "-n", "0");

        Assert.Equal(1, exit);
        Assert.StartsWith("error: Nothing to measure", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    private static (int Exit, string Output, string Error) Invoke(params string[] args) => CommandRun.Invoke(BenchCommand.Create(), args);
}
