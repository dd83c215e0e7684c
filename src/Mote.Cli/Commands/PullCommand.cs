using System.CommandLine;
using System.Globalization;
using Mote.Engine.Hub;
using Spectre.Console;

namespace Mote.Cli.Commands;

/// <summary><c>mote pull MODEL</c>: download a GGUF model from Hugging Face into the local cache.</summary>
internal static class PullCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model")
        {
            Description = $"An alias ({string.Join(", ", ModelAliases.All.Select(a => a.Name))}) or hf:OWNER/REPO[:FILE]",
        };
        var endpoint = new Option<string?>("--endpoint") { Description = "Hub URL (default: $HF_ENDPOINT, else https://huggingface.co)" };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Model cache folder (default: $MOTE_CACHE, else ~/.cache/mote)" };

        var command = new Command("pull", "Download a GGUF model from Hugging Face into the local model cache (resumable, SHA-256 verified)");
        command.Arguments.Add(model);
        command.Options.Add(endpoint);
        command.Options.Add(cacheDir);
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(model)!, result.GetValue(endpoint), result.GetValue(cacheDir),
            result.InvocationConfiguration.Output, result.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    internal static async Task<int> RunAsync(string spec, string? endpoint, string? cacheDirectory, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        try
        {
            var reference = ModelReference.Parse(spec);
            var options = HubOptions.FromEnvironment(endpoint, cacheDirectory);
            using var hub = new ModelHub(options);

            if (reference.File is not null && hub.Cache.Find(reference) is { } cached)
            {
                await output.WriteLineAsync($"{Describe(reference, cached.File)} is already in the cache ({Size(cached.Size)}):").ConfigureAwait(false);
                await output.WriteLineAsync(cached.Path).ConfigureAwait(false);
                return 0;
            }

            await output.WriteLineAsync($"Resolving {spec} on {options.Endpoint} …").ConfigureAwait(false);
            var resolved = await hub.ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
            if (resolved.ChosenAutomatically)
            {
                await output.WriteLineAsync(
                    $"No file named: picked {resolved.File.Path} ({QuantPicker.QuantOf(resolved.File.Path) ?? "unknown quant"}) " +
                    $"of {resolved.GgufFiles.Count} GGUF file(s); pull hf:{reference.Repository}:FILE to choose another.").ConfigureAwait(false);
            }

            var target = hub.Cache.PathFor(reference.Repository, resolved.File.Path);
            var pulled = File.Exists(target) && new FileInfo(target).Length == resolved.File.Size
                ? await hub.PullAsync(resolved, null, cancellationToken).ConfigureAwait(false)
                : await DownloadWithProgressAsync(hub, resolved, error, cancellationToken).ConfigureAwait(false);
            var verdict = pulled.WasCached ? "already in the cache"
                : pulled.Sha256 is null ? "downloaded (the hub gave no SHA-256 to check)"
                : "downloaded, SHA-256 verified";
            await output.WriteLineAsync($"{Describe(reference, pulled.File)}: {verdict} ({Size(pulled.Size)}):").ConfigureAwait(false);
            await output.WriteLineAsync(pulled.Path).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is HubException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task<PulledModel> DownloadWithProgressAsync(ModelHub hub, ResolvedModel resolved, TextWriter error,
        CancellationToken cancellationToken)
    {
        var consoleOutput = new AnsiConsoleOutput(error);
        if (!consoleOutput.IsTerminal)
        {
            // No terminal to draw a bar on (logs, CI): one line up front is enough.
            await error.WriteLineAsync($"Downloading {resolved.File.Path} ({Size(resolved.File.Size)}) …").ConfigureAwait(false);
            return await hub.PullAsync(resolved, null, cancellationToken).ConfigureAwait(false);
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = consoleOutput });
        PulledModel? pulled = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(),
                new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(resolved.File.Path), maxValue: Math.Max(1, resolved.File.Size));
                var progress = new BarProgress(task);
                pulled = await hub.PullAsync(resolved, progress, cancellationToken).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
        return pulled!;
    }

    private static string Describe(ModelReference reference, string file) =>
        (reference.Alias is null ? "" : reference.Alias + " = ") + $"hf:{reference.Repository}:{file}";

    internal static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };

    // Reports straight into the progress bar (Progress<T> would post each report to the thread pool).
    private sealed class BarProgress(ProgressTask task) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value)
        {
            if (value.TotalBytes is { } total && total > 0)
                task.MaxValue = total;
            task.Value = value.BytesDone;
        }
    }
}
