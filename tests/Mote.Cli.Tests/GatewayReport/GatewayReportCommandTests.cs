using System.CommandLine;
using System.Text.Json;
using Mote.Cli.Commands;
using Mote.Testing;

namespace Mote.Cli.Tests.GatewayReport;

/// <summary>
/// <c>mote gateway report</c> in-process against a scripted provider: a cheap model that is confident on some
/// questions and unsure on others, and a big model. Costs are checked exactly from the scripted usage and the
/// configured prices (cheap $1/$2, big $10/$30 per 1M input/output tokens; 10 and 12 prompt tokens).
/// </summary>
public sealed class GatewayReportCommandTests : IAsyncLifetime
{
    private const string France = "What is the capital of France?";
    private const string Sum = "What is 2 + 2?";
    private const string Hamlet = "Who wrote Hamlet?";
    private const string Planet = "Which planet is the largest?";

    private ScriptedProvider _provider = null!;
    private string _directory = null!;
    private string _config = null!;
    private string _questions = null!;

    public async Task InitializeAsync()
    {
        _provider = await ScriptedProvider.StartAsync();
        _provider.Model("small", 10, new()
        {
            [France] = new("Paris.", -0.05),            // confident: accepted
            [Sum] = new("4", -0.1),                     // confident: accepted
            [Hamlet] = new("Christopher Marlowe", -2),  // unsure: escalated
            [Planet] = new("Saturn", -0.9),             // unsure: escalated
        });
        _provider.Model("large", 12, new()
        {
            [France] = new("paris"),                    // agrees with "Paris." once normalized
            [Sum] = new("Four"),                        // disagrees with "4"
            [Hamlet] = new("William Shakespeare."),
            [Planet] = new("Jupiter"),
        });
        _directory = RepoPaths.NewTempDirectory();
        _config = Path.Combine(_directory, "gateway.yaml");
        await File.WriteAllTextAsync(_config, $$"""
            providers:
              cheap_p: { type: openai-compatible, base_url: "{{_provider.BaseUrl}}" }
              big_p: { type: openai-compatible, base_url: "{{_provider.BaseUrl}}" }
            deployments:
              cheap: { provider: cheap_p, model: small, input_price: 1, output_price: 2 }
              big: { provider: big_p, model: large, input_price: 10, output_price: 30 }
            routes:
              hybrid:
                cascade: { tiers: [cheap, big], min_mean_logprob: -0.5, min_token_logprob: -3 }
              plain: big
            resilience: { max_retries: 0 }
            usage: { database: ":memory:" }
            """);
        _questions = Path.Combine(_directory, "questions.txt");
        await File.WriteAllLinesAsync(_questions, [France, Sum, "", Hamlet, Planet]);
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    private static double Usd(int prompt, int completion, double inputPrice, double outputPrice) =>
        (prompt * inputPrice + completion * outputPrice) / 1_000_000.0;

    private static double Cheap(int completion) => Usd(10, completion, 1, 2);

    private static double Big(int completion) => Usd(12, completion, 10, 30);

    [Fact]
    public async Task ReportJson_MixedConfidence_CountsCostsSavingsAndAgreement()
    {
        var (exit, output, error) = await InvokeAsync("gateway", "report", "--config", _config, "--route", "hybrid",
            "--questions", _questions, "--max-tokens", "16", "--json");

        Assert.True(exit == 0, error);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal("hybrid", root.GetProperty("route").GetString());
        Assert.Equal("big", root.GetProperty("big").GetString());

        var summary = root.GetProperty("summary");
        Assert.Equal(4, summary.GetProperty("questions").GetInt32());
        Assert.Equal(4, summary.GetProperty("compared").GetInt32());
        Assert.Equal(0, summary.GetProperty("cascade_failures").GetInt32());
        Assert.Equal(2, summary.GetProperty("answered_by_cheap_tier").GetInt32());
        Assert.Equal(50, summary.GetProperty("cheap_tier_percent").GetDouble(), 9);
        // The cascade pays the cheap tier for every question, and both tiers for the two escalations.
        var cascadeCost = Cheap(1) + Cheap(1) + (Cheap(2) + Big(2)) + (Cheap(1) + Big(1));
        var bigCost = Big(1) + Big(1) + Big(2) + Big(1);
        Assert.Equal(380e-6, cascadeCost, 12); // the arithmetic of the script, spelled out
        Assert.Equal(cascadeCost, summary.GetProperty("cascade_cost_usd").GetDouble(), 12);
        Assert.Equal(bigCost, summary.GetProperty("big_cost_usd").GetDouble(), 12);
        Assert.Equal(bigCost - cascadeCost, summary.GetProperty("saved_usd").GetDouble(), 12);
        Assert.Equal(100 * (bigCost - cascadeCost) / bigCost, summary.GetProperty("saved_percent").GetDouble(), 9);
        Assert.Equal(3, summary.GetProperty("agreements").GetInt32());
        Assert.Equal(75, summary.GetProperty("agreement_percent").GetDouble(), 9);
        Assert.True(summary.GetProperty("cascade_mean_latency_ms").GetDouble() > 0);
        Assert.True(summary.GetProperty("big_mean_latency_ms").GetDouble() > 0);

        var rows = root.GetProperty("questions").EnumerateArray().ToList();
        Assert.Equal([France, Sum, Hamlet, Planet], rows.Select(r => r.GetProperty("question").GetString()));
        Assert.Equal([1, 2, 4, 5], rows.Select(r => r.GetProperty("line").GetInt32()));
        Assert.Equal(["cheap", "cheap", "big", "big"], rows.Select(r => r.GetProperty("cascade").GetProperty("deployment").GetString()));
        Assert.Equal([1, 1, 2, 2], rows.Select(r => r.GetProperty("answered_tier").GetInt32()));
        Assert.Equal([true, false, true, true], rows.Select(r => r.GetProperty("agrees").GetBoolean()));
        Assert.Equal(["Paris.", "4", "William Shakespeare.", "Jupiter"], rows.Select(r => r.GetProperty("cascade").GetProperty("answer").GetString()));

        var hamlet = rows[2];
        var decision = hamlet.GetProperty("decisions").EnumerateArray().Single();
        Assert.Equal("escalate", decision.GetProperty("decision").GetString());
        Assert.Equal("cheap", decision.GetProperty("deployment").GetString());
        Assert.Equal(-2, decision.GetProperty("mean_logprob").GetDouble(), 9);
        Assert.Equal("mean_logprob<-0.5", decision.GetProperty("reason").GetString());
        var usage = hamlet.GetProperty("cascade").GetProperty("usage").EnumerateArray()
            .ToDictionary(u => u.GetProperty("deployment").GetString()!, u => (u.GetProperty("prompt_tokens").GetInt32(), u.GetProperty("completion_tokens").GetInt32()));
        Assert.Equal((12, 2), usage["big"]);
        Assert.Equal((10, 2), usage["cheap"]);
        Assert.Equal(Cheap(2) + Big(2), hamlet.GetProperty("cascade").GetProperty("cost_usd").GetDouble(), 12);
        Assert.Equal("accept", rows[0].GetProperty("decisions")[0].GetProperty("decision").GetString());

        // Every question went to the cheap tier once, and to the big model directly plus on each escalation.
        Assert.Equal(4, _provider.CountFor("small"));
        Assert.Equal(6, _provider.CountFor("large"));
        Assert.All(_provider.Requests, r => Assert.Equal(16, r.GetProperty("max_tokens").GetInt32()));
        Assert.All(_provider.Requests, r => Assert.Equal(0, r.GetProperty("temperature").GetDouble()));
    }

    [Fact]
    public async Task Report_Table_PrintsRowsAndSummary()
    {
        var (exit, output, error) = await InvokeAsync("gateway", "report", "--config", _config, "--route", "hybrid", "--questions", _questions);

        Assert.True(exit == 0, error);
        Assert.All(_provider.Requests, r => Assert.False(r.TryGetProperty("max_tokens", out _)));
        Assert.Contains("Cascade 'hybrid' against always-big 'big'", output, StringComparison.Ordinal);
        Assert.Contains("t1 escalate mean -2 min -2 (mean_logprob<-0.5)", output, StringComparison.Ordinal);
        Assert.Contains("2 of 4 (50.0%)", output, StringComparison.Ordinal);
        Assert.Contains("3 of 4 (75.0%, normalized exact match)", output, StringComparison.Ordinal);
        Assert.Contains("$0.000380", output, StringComparison.Ordinal);
        Assert.Contains("$0.000630", output, StringComparison.Ordinal);
        Assert.Contains("$0.000250 (39.7%)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_BigModelFailure_IsCountedAndLeftOutOfTheComparison()
    {
        _provider.Model("large", 12, new()
        {
            [France] = new("paris"),
            [Sum] = new("Four"),
            [Hamlet] = new("William Shakespeare."),
            [Planet] = Reply.Error(500),
        });

        var (exit, output, error) = await InvokeAsync("gateway", "report", "--config", _config, "--route", "hybrid",
            "--questions", _questions, "--json");

        Assert.True(exit == 0, error);
        var root = JsonDocument.Parse(output).RootElement;
        var summary = root.GetProperty("summary");
        Assert.Equal(4, summary.GetProperty("questions").GetInt32());
        Assert.Equal(1, summary.GetProperty("big_failures").GetInt32());
        Assert.Equal(1, summary.GetProperty("cascade_failures").GetInt32()); // it escalated to the same failing model
        Assert.Equal(3, summary.GetProperty("compared").GetInt32());
        Assert.Equal(Cheap(1) + Cheap(1) + Cheap(2) + Big(2), summary.GetProperty("cascade_cost_usd").GetDouble(), 12);
        Assert.Equal(Big(1) + Big(1) + Big(2), summary.GetProperty("big_cost_usd").GetDouble(), 12);
        Assert.Equal(2, summary.GetProperty("agreements").GetInt32());
        var planet = root.GetProperty("questions")[3];
        Assert.False(planet.GetProperty("big").GetProperty("ok").GetBoolean());
        Assert.Contains("scripted failure", planet.GetProperty("big").GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(planet.TryGetProperty("agrees", out _));
    }

    [Fact]
    public async Task Report_BigOption_ComparesWithTheNamedDeployment()
    {
        var (exit, output, error) = await InvokeAsync("gateway", "report", "--config", _config, "--route", "hybrid",
            "--questions", _questions, "--big", "cheap", "--temperature", "-1", "--json");

        Assert.True(exit == 0, error);
        var summary = JsonDocument.Parse(output).RootElement.GetProperty("summary");
        // Compared with the cheap model itself, the two cheap answers agree and the two escalated ones do not.
        Assert.Equal(2, summary.GetProperty("agreements").GetInt32());
        Assert.Equal("cheap", JsonDocument.Parse(output).RootElement.GetProperty("big").GetString());
        Assert.Equal(3 * Cheap(1) + Cheap(2), summary.GetProperty("big_cost_usd").GetDouble(), 12);
        Assert.True(summary.GetProperty("saved_usd").GetDouble() < 0); // the cascade costs more than its own cheap tier
        Assert.All(_provider.Requests, r => Assert.False(r.TryGetProperty("temperature", out _)));
    }

    [Theory]
    [InlineData("nosuch", "route 'nosuch' is not in the configuration (routes: hybrid, plain)")]
    [InlineData("plain", "route 'plain' is the single deployment 'big', not a cascade")]
    public async Task Report_RouteThatIsNotACascade_FailsWithOneLine(string route, string message)
    {
        var (exit, output, error) = await InvokeAsync("gateway", "report", "--config", _config, "--route", route, "--questions", _questions);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith("error: " + message, error, StringComparison.Ordinal);
        Assert.Empty(_provider.Requests);
    }

    [Fact]
    public async Task Report_MissingOrEmptyFiles_FailWithOneLine()
    {
        var missing = Path.Combine(_directory, "missing.txt");
        var empty = Path.Combine(_directory, "empty.txt");
        await File.WriteAllTextAsync(empty, "\n  \n");

        var noQuestions = await InvokeAsync("gateway", "report", "--config", _config, "--route", "hybrid", "--questions", missing);
        var emptyQuestions = await InvokeAsync("gateway", "report", "--config", _config, "--route", "hybrid", "--questions", empty);
        var noConfig = await InvokeAsync("gateway", "report", "--config", missing, "--route", "hybrid", "--questions", _questions);
        var unknownBig = await InvokeAsync("gateway", "report", "--config", _config, "--route", "hybrid", "--questions", _questions, "--big", "huge");

        Assert.Equal((1, $"error: questions file not found: {missing}"), (noQuestions.Exit, noQuestions.Error.Trim()));
        Assert.Equal(1, emptyQuestions.Exit);
        Assert.StartsWith($"error: {empty} holds no questions", emptyQuestions.Error, StringComparison.Ordinal);
        Assert.Equal((1, $"error: configuration file not found: {missing}"), (noConfig.Exit, noConfig.Error.Trim()));
        Assert.StartsWith("error: --big: deployment 'huge' is not in the configuration", unknownBig.Error, StringComparison.Ordinal);
        Assert.Empty(_provider.Requests);
    }

    [Fact]
    public async Task Report_InvalidConfiguration_NamesTheFileAndTheProblem()
    {
        var broken = Path.Combine(_directory, "broken.yaml");
        await File.WriteAllTextAsync(broken, (await File.ReadAllTextAsync(_config)).Replace("tiers: [cheap, big]", "tiers: [cheap, bigg]", StringComparison.Ordinal));

        var (exit, output, error) = await InvokeAsync("gateway", "report", "--config", broken, "--route", "hybrid", "--questions", _questions);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith($"error: Invalid gateway configuration {broken}:", error, StringComparison.Ordinal);
        Assert.Contains("routes.hybrid.cascade.tiers[1].deployment: deployment 'bigg' is not defined.", error, StringComparison.Ordinal);
        Assert.DoesNotContain("mote-report-big", error, StringComparison.Ordinal);
        Assert.Empty(_provider.Requests);
    }

    [Fact]
    public void CommandCatalog_ListsGatewayWithReport() =>
        Assert.Contains(CommandCatalog.All(), c => c.Name == "gateway" && c.Subcommands.Any(s => s.Name == "report"));

    private static async Task<(int Exit, string Output, string Error)> InvokeAsync(params string[] args)
    {
        var root = new RootCommand();
        root.Subcommands.Add(GatewayCommand.Create());
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error })
            .WaitAsync(TimeSpan.FromSeconds(60));
        return (exit, output.ToString(), error.ToString());
    }
}
