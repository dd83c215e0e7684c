using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mote.Contracts;
using Mote.Gateway;
using Mote.Gateway.Configuration;
using Mote.Server;

namespace Mote.Cli.GatewayReport;

/// <summary>
/// Runs a question set through a cascade route and, for each question, through the big model directly, on a gateway
/// started in-process from the configuration exactly as <c>mote serve --config</c> would (local models included),
/// listening on an ephemeral loopback port but called through its in-process API. Questions go one at a time, so
/// that tokens and latency belong to one request; an upstream failure is recorded in its row, not thrown.
/// </summary>
internal sealed class CascadeReportRunner(ReportOptions options)
{
    /// <summary>How the gateway names a configuration given in code (<c>GatewayCompiler</c>).</summary>
    private const string InCodeSource = "(in-code configuration)";

    /// <summary>Called after each question with (done, total); the command shows it on an interactive terminal.</summary>
    public Action<int, int>? Progress { get; init; }

    public async Task<CascadeReport> RunAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(options.ConfigPath))
            throw new ReportException($"configuration file not found: {options.ConfigPath}");
        var plan = ReportPlan.Create(GatewayConfigLoader.LoadFile(options.ConfigPath), options.Route, options.Big);
        var questions = QuestionSet.Load(options.QuestionsPath);

        await using var app = await StartGatewayAsync(plan, cancellationToken).ConfigureAwait(false);
        try
        {
            using var meter = new TokenMeter(app.Services.GetRequiredService<IMeterFactory>());
            var gateway = app.Services.GetRequiredService<ChatGateway>();
            var rows = new List<QuestionResult>(questions.Count);
            foreach (var question in questions)
            {
                // Alternate which side goes first, so that neither always pays for a cold connection or cache.
                CallOutcome cascade, big;
                string? header;
                if (rows.Count % 2 == 0)
                {
                    (cascade, header) = await AskAsync(gateway, meter, plan, plan.Route, question, cancellationToken).ConfigureAwait(false);
                    (big, _) = await AskAsync(gateway, meter, plan, plan.BigRoute, question, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    (big, _) = await AskAsync(gateway, meter, plan, plan.BigRoute, question, cancellationToken).ConfigureAwait(false);
                    (cascade, header) = await AskAsync(gateway, meter, plan, plan.Route, question, cancellationToken).ConfigureAwait(false);
                }
                var (decisions, answeredTier) = RouteDecisions.Parse(header);
                rows.Add(new QuestionResult
                {
                    Index = rows.Count + 1,
                    Line = question.Line,
                    Question = question.Text,
                    Cascade = cascade,
                    Big = big,
                    AnsweredTier = cascade.Ok ? answeredTier : null,
                    AnsweredByCheapTier = cascade.Ok && decisions.Any(d => d.Decision == "accept"),
                    Decisions = decisions,
                    Agrees = cascade.Ok && big.Ok ? AnswerMatch.Agree(cascade.Answer, big.Answer) : null,
                });
                Progress?.Invoke(rows.Count, questions.Count);
            }
            return new CascadeReport { Route = plan.Route, Big = plan.BigName, Questions = rows, Summary = ReportSummary.Of(rows) };
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The gateway of <paramref name="plan"/>, started; configuration errors name the user's file.</summary>
    private async Task<WebApplication> StartGatewayAsync(ReportPlan plan, CancellationToken cancellationToken)
    {
        var serverOptions = new MoteServerOptions
        {
            Config = plan.Config,
            // Relative paths in the file (the ledger) resolve against its folder, as when it is served.
            DataDirectory = Path.GetDirectoryName(Path.GetFullPath(options.ConfigPath)),
            Host = MoteServerOptions.DefaultHost,
            Port = 0,
            WatchConfig = false,
        };
        var builder = MoteServer.CreateBuilder(serverOptions);
        // Upstream failures are reported in the rows; log lines would only interleave with the report.
        builder.WebApplicationBuilder.Logging.ClearProviders();
        WebApplication? app = null;
        try
        {
            app = builder.Build();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return app;
        }
        catch (GatewayConfigException e)
        {
            if (app is not null)
                await app.DisposeAsync().ConfigureAwait(false);
            // The gateway compiled the file's contents given in code, so it cannot name the file; the user needs it.
            throw new GatewayConfigException(options.ConfigPath, e.Errors);
        }
        catch (OptionsValidationException e)
        {
            if (app is not null)
                await app.DisposeAsync().ConfigureAwait(false);
            // Start-up validation reports the compiler's message, which names the in-code source the same way.
            // The added big route repeats its last tier's problems; the user only wrote (and can fix) the cascade.
            var lines = string.Join(Environment.NewLine, e.Failures).Replace(InCodeSource, options.ConfigPath, StringComparison.Ordinal)
                .Split(Environment.NewLine)
                .Where(line => !line.Contains($"routes.{plan.BigRoute}.", StringComparison.Ordinal) && !line.Contains($"routes.{plan.BigRoute}:", StringComparison.Ordinal));
            throw new ReportException(string.Join(Environment.NewLine, lines), e);
        }
    }

    private async Task<(CallOutcome Outcome, string? RouteHeader)> AskAsync(
        ChatGateway gateway, TokenMeter meter, ReportPlan plan, string route, ReportQuestion question, CancellationToken cancellationToken)
    {
        var request = new ChatCompletionRequest
        {
            Model = route,
            Messages = question.Messages,
            MaxTokens = options.MaxTokens,
            Temperature = options.Temperature,
        };
        var call = new GatewayCall();
        meter.Take();
        var started = Stopwatch.GetTimestamp();
        ChatCompletionResponse? response = null;
        GatewayException? failure = null;
        try
        {
            response = await gateway.CompleteAsync(request, call, cancellationToken).ConfigureAwait(false);
        }
        catch (GatewayException e)
        {
            failure = e;
        }
        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var usage = meter.Take()
            .OrderBy(u => u.Key, StringComparer.Ordinal)
            .Select(u => new DeploymentUsage(u.Key, u.Value.Prompt, u.Value.Completion, plan.Cost(u.Key, u.Value.Prompt, u.Value.Completion)))
            .ToList();
        var outcome = new CallOutcome
        {
            Deployment = call.Deployment,
            Answer = response is { Choices.Count: > 0 } ? response.Choices[0].Message.Content?.GetText() ?? "" : null,
            Error = failure?.Message ?? (response is { Choices.Count: > 0 } ? null : "the answer has no choices"),
            ErrorStatus = failure?.StatusCode,
            Usage = usage,
            LatencyMs = latency,
        };
        return (outcome, call.RouteHeader);
    }
}
