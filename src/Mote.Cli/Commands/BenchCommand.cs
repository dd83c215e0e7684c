using System.CommandLine;
using Mote.Evaluation.Benchmarks;
using Spectre.Console;

namespace Mote.Cli.Commands;

/// <summary><c>mote bench</c>: prefill and decode throughput, latency, memory and bandwidth, as llama-bench.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var defaults = new BenchOptions();
        var model = new Option<string>("--model", "-m") { Description = "GGUF model file", Required = true };
        var prompt = new Option<int>("--n-prompt", "-p") { Description = "Prompt tokens of the prefill test (pp); 0 skips it", DefaultValueFactory = _ => defaults.PromptTokens };
        var generate = new Option<int>("--n-gen", "-n") { Description = "Tokens of the decode test (tg); 0 skips it", DefaultValueFactory = _ => defaults.GenerateTokens };
        var threads = new Option<int>("--threads", "-t") { Description = "Compute threads (default: physical cores)" };
        var reps = new Option<int>("--repetitions", "-r") { Description = "Measured repetitions after one warm-up", DefaultValueFactory = _ => defaults.Repetitions };
        var probe = new Option<int>("--probe-mib") { Description = "MiB read by the memory-bandwidth probe (0 skips it)", DefaultValueFactory = _ => (int)(defaults.ProbeBytes >> 20) };
        var cacheType = CacheTypeOption.Create();
        var noRepack = new Option<bool>("--no-repack", "-nr") { Description = "Keep q4_0/q4_1/q5_0/q5_1/q8_0/q4_K/q6_K weights as the file stores them (no eight-row panels at load), as llama-bench -nr" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var markdown = new Option<bool>("--markdown") { Description = "Print markdown tables (for docs)" };

        var command = new Command("bench", "Measure prefill and decode speed, time to first token, memory and bandwidth, as llama-bench");
        foreach (var option in new Option[] { model, prompt, generate, threads, cacheType, reps, probe, noRepack, json, markdown })
            command.Options.Add(option);
        command.SetAction((result, cancellationToken) =>
        {
            var options = new BenchOptions
            {
                PromptTokens = result.GetValue(prompt),
                GenerateTokens = result.GetValue(generate),
                Threads = result.GetValue(threads),
                CacheType = result.GetValue(cacheType),
                Repetitions = result.GetValue(reps),
                ProbeBytes = (long)result.GetValue(probe) << 20,
                Repack = !result.GetValue(noRepack),
            };
            var format = result.GetValue(json) ? Format.Json : result.GetValue(markdown) ? Format.Markdown : Format.Table;
            var config = result.InvocationConfiguration;
            return Task.FromResult(UserErrors.Run(config.Error, () =>
                Run(result.GetValue(model)!, options, format, config.Output, config.Error, cancellationToken)));
        });
        return command;
    }

    internal enum Format
    {
        Table,
        Json,
        Markdown,
    }

    internal static int Run(string modelPath, BenchOptions options, Format format, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        Action<string>? log = format == Format.Table ? step => error.WriteLine($"bench: {step}") : null;
        var result = BenchRunner.Run(modelPath, options, log, cancellationToken);
        switch (format)
        {
            case Format.Json:
                output.WriteLine(BenchJson.Format(result));
                break;
            case Format.Markdown:
                output.Write(BenchMarkdown.Format(result));
                break;
            default:
                WriteTables(result, output);
                break;
        }
        return 0;
    }

    private static void WriteTables(BenchResult result, TextWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        // Redirected output reports 80 columns; the table is wider and is better left unwrapped.
        console.Profile.Width = Math.Max(console.Profile.Width, 132);
        var table = new Table().Border(TableBorder.Markdown);
        for (var i = 0; i < BenchReport.Columns.Count; i++)
        {
            var column = new TableColumn(Markup.Escape(BenchReport.Columns[i]));
            table.AddColumn(BenchReport.NumericColumns[i] ? column.RightAligned() : column);
        }
        foreach (var row in BenchReport.Rows(result))
            table.AddRow(row.Select(Markup.Escape).ToArray());
        console.Write(table);

        var details = new Grid().AddColumn().AddColumn();
        foreach (var (name, value) in BenchReport.Details(result))
            details.AddRow(new Text(name), new Text(value));
        console.WriteLine();
        console.Write(details);
    }
}
