using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Mote.Cli.GatewayReport;

/// <summary>The report for people (a table per question, then the summary) or for programs (one JSON object).</summary>
internal static class CascadeReportPrinter
{
    private const int RedirectedWidth = 180;
    private const int QuestionWidth = 40;

    public static void WriteJson(CascadeReport report, TextWriter output) =>
        output.WriteLine(JsonSerializer.Serialize(report, ReportJsonContext.Default.CascadeReport));

    public static void WriteTable(CascadeReport report, TextWriter output)
    {
        var console = CreateConsole(output);
        console.Write(new Text($"Cascade '{report.Route}' against always-big '{report.Big}'", new Style(decoration: Decoration.Bold)));
        console.WriteLine();

        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("#").RightAligned()).AddColumn("Question").AddColumn("Answered by").AddColumn("Decision")
            .AddColumn(new TableColumn("Cascade $").RightAligned()).AddColumn(new TableColumn("Big $").RightAligned())
            .AddColumn("Agree").AddColumn(new TableColumn("Cascade ms").RightAligned()).AddColumn(new TableColumn("Big ms").RightAligned());
        foreach (var row in report.Questions)
        {
            table.AddRow(
                new Text(row.Index.ToString(CultureInfo.InvariantCulture)),
                new Text(Shorten(row.Question)),
                new Text(row.Cascade.Ok ? $"{row.Cascade.Deployment} (tier {row.AnsweredTier?.ToString(CultureInfo.InvariantCulture) ?? "?"})" : "error"),
                new Text(row.Cascade.Ok ? Decisions(row) : Shorten(row.Cascade.Error!)),
                new Text(Usd(row.Cascade.CostUsd)),
                new Text(row.Big.Ok ? Usd(row.Big.CostUsd) : "error"),
                new Text(row.Agrees switch { true => "yes", false => "no", null => "-" }),
                new Text(Ms(row.Cascade.LatencyMs)),
                new Text(Ms(row.Big.LatencyMs)));
        }
        console.Write(table);
        console.WriteLine();

        var s = report.Summary;
        var summary = new Grid().AddColumn().AddColumn();
        summary.AddRow("Questions", $"{s.Questions} ({s.Compared} answered by both; failures: cascade {s.CascadeFailures}, big {s.BigFailures})");
        summary.AddRow("Answered by cheap tier(s)", $"{s.AnsweredByCheapTier} of {s.Questions - s.CascadeFailures} ({Percent(s.CheapTierPercent)})");
        summary.AddRow("Cost, cascade", Usd(s.CascadeCostUsd));
        summary.AddRow("Cost, always big", Usd(s.BigCostUsd));
        summary.AddRow("Saved", $"{Usd(s.SavedUsd)} ({Percent(s.SavedPercent)})");
        summary.AddRow("Agreement with big", $"{s.Agreements} of {s.Compared} ({Percent(s.AgreementPercent)}, normalized exact match)");
        summary.AddRow("Mean latency", $"cascade {MeanMs(s.CascadeMeanLatencyMs)}, big {MeanMs(s.BigMeanLatencyMs)}");
        console.Write(summary);

        foreach (var row in report.Questions.Where(r => !r.Big.Ok))
            console.WriteLine($"#{row.Index} big model failed: {row.Big.Error}");
        foreach (var row in report.Questions.Where(r => !r.Cascade.Ok))
            console.WriteLine($"#{row.Index} cascade failed: {row.Cascade.Error}");
    }

    private static string Decisions(QuestionResult row) =>
        row.Decisions.Count == 0 ? "-" : string.Join("; ", row.Decisions.Select(Decision));

    private static string Decision(TierDecision d)
    {
        var scores = d.MeanLogprob is { } mean
            ? $" mean {Number(mean)} min {(d.MinLogprob is { } min ? Number(min) : "?")}"
            : "";
        var reason = d.Reason is { } r ? $" ({r})" : "";
        return $"t{d.Tier} {d.Decision}{scores}{reason}";
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= QuestionWidth ? line : line[..(QuestionWidth - 1)] + "…";
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Usd(double value) => value.ToString("$0.000000", CultureInfo.InvariantCulture);

    private static string Percent(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Ms(double value) => value.ToString("0", CultureInfo.InvariantCulture);

    private static string MeanMs(double? value) => value is { } ms ? ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : "-";

    private static IAnsiConsole CreateConsole(TextWriter output)
    {
        var consoleOutput = new AnsiConsoleOutput(output);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = consoleOutput,
            Ansi = consoleOutput.IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = consoleOutput.IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!consoleOutput.IsTerminal)
            console.Profile.Width = RedirectedWidth;
        return console;
    }
}
