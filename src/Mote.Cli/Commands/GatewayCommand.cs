using System.CommandLine;
using Microsoft.Extensions.Options;
using Mote.Cli.GatewayReport;
using Mote.Gateway.Configuration;

namespace Mote.Cli.Commands;

/// <summary>
/// <c>mote gateway report --config FILE --route NAME --questions FILE [--big DEPLOYMENT] [--max-tokens N] [--temperature T] [--json]</c>:
/// runs a question set through a cascade and through its big model, and prints the cost saved against always-big
/// and the agreement with the big model — the FrugalGPT/RouteLLM trade-off, measured.
/// </summary>
internal static class GatewayCommand
{
    public static Command Create()
    {
        var command = new Command("gateway", "Work with a gateway configuration");
        command.Subcommands.Add(CreateReport());
        return command;
    }

    private static Command CreateReport()
    {
        var config = new Option<string>("--config") { Description = "Gateway configuration (JSON or YAML)", Required = true };
        var route = new Option<string>("--route") { Description = "The cascade route to measure", Required = true };
        var questions = new Option<string>("--questions") { Description = "Questions: one per line, or JSONL with {\"question\": …} or {\"messages\": […]}", Required = true };
        var big = new Option<string?>("--big") { Description = "Deployment to compare with (default: the cascade's last tier)" };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "max_tokens of every request (default: the providers')" };
        var temperature = new Option<double?>("--temperature")
        {
            Description = "Sampling temperature of every request (default 0, so the big model agrees with itself; a negative value sends none)",
            DefaultValueFactory = _ => 0,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables" };

        var command = new Command("report", "Measure a cascade: cost saved against always-big, and agreement with the big model");
        foreach (var option in new Option[] { config, route, questions, big, maxTokens, temperature, json })
            command.Options.Add(option);
        command.SetAction((result, cancellationToken) => RunReportAsync(
            new ReportOptions
            {
                ConfigPath = result.GetValue(config)!,
                Route = result.GetValue(route)!,
                QuestionsPath = result.GetValue(questions)!,
                Big = result.GetValue(big),
                MaxTokens = result.GetValue(maxTokens),
                Temperature = result.GetValue(temperature) is { } t && t >= 0 ? t : null,
                Json = result.GetValue(json),
            },
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    /// <summary>
    /// Prints the report. Exit code 0 when at least one question was answered by both the cascade and the big model;
    /// 1 for a mistake in the input (reported on one line) or when nothing could be compared.
    /// </summary>
    internal static async Task<int> RunReportAsync(ReportOptions options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (options.MaxTokens is <= 0)
            return await FailAsync(error, "--max-tokens must be positive.").ConfigureAwait(false);
        CascadeReport report;
        try
        {
            // Cloud question sets take minutes: show where it is, but only to a person at a terminal.
            var interactive = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
            var runner = new CascadeReportRunner(options)
            {
                Progress = interactive ? (done, total) => error.Write(done < total ? $"\rmote: question {done}/{total}" : "\r\x1b[K") : null,
            };
            report = await runner.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ReportException e)
        {
            return await FailAsync(error, e.Message).ConfigureAwait(false);
        }
        catch (GatewayConfigException e)
        {
            return await FailAsync(error, e.Message).ConfigureAwait(false);
        }
        catch (OptionsValidationException e)
        {
            return await FailAsync(error, string.Join(Environment.NewLine, e.Failures)).ConfigureAwait(false);
        }

        if (options.Json)
            CascadeReportPrinter.WriteJson(report, output);
        else
            CascadeReportPrinter.WriteTable(report, output);
        if (report.Summary.Compared > 0)
            return 0;
        return await FailAsync(error, "no question was answered by both the cascade and the big model; the errors are in the report.").ConfigureAwait(false);
    }

    private static async Task<int> FailAsync(TextWriter error, string message)
    {
        await error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
        return 1;
    }
}
