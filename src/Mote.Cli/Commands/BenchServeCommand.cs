using System.CommandLine;
using System.Globalization;
using Mote.Evaluation.Benchmarks;

namespace Mote.Cli.Commands;

/// <summary>
/// <c>mote bench-serve --url URL --model NAME --clients N --requests M [--max-tokens T]</c>: streamed chat completions
/// from concurrent clients against a running server; aggregate tokens/s, time to first token and time per token.
/// </summary>
internal static class BenchServeCommand
{
    public static Command Create()
    {
        var defaults = new ServeBenchOptions { Url = new Uri("http://127.0.0.1:8080"), Model = "" };
        var url = new Option<string>("--url") { Description = "Server base URL", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var model = new Option<string>("--model", "-m") { Description = "Model name as the server lists it (GET /v1/models)", Required = true };
        var clients = new Option<int>("--clients", "-c") { Description = "Concurrent streaming clients", DefaultValueFactory = _ => defaults.Clients };
        var requests = new Option<int>("--requests", "-n") { Description = "Requests in total, shared by the clients", DefaultValueFactory = _ => defaults.Requests };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Tokens per answer (with ignore_eos, every answer has exactly this many)", DefaultValueFactory = _ => defaults.MaxTokens };
        var prompt = new Option<string>("--prompt") { Description = "User message (each request prefixes its number)", DefaultValueFactory = _ => defaults.Prompt };
        var respectEos = new Option<bool>("--respect-eos") { Description = "Do not send ignore_eos: answers may end early" };
        var apiKey = new Option<string?>("--api-key") { Description = "Bearer token for the server" };

        var command = new Command("bench-serve", "Load a running OpenAI-compatible server with concurrent streaming clients: aggregate tok/s, TTFT and per-token latency");
        foreach (var option in new Option[] { url, model, clients, requests, maxTokens, prompt, respectEos, apiKey })
            command.Options.Add(option);
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            if (!Uri.TryCreate(result.GetValue(url), UriKind.Absolute, out var baseUrl))
            {
                await error.WriteLineAsync($"error: --url '{result.GetValue(url)}' is not an absolute URL").ConfigureAwait(false);
                return 1;
            }
            var options = new ServeBenchOptions
            {
                Url = baseUrl,
                Model = result.GetValue(model)!,
                Clients = Math.Max(1, result.GetValue(clients)),
                Requests = Math.Max(1, result.GetValue(requests)),
                MaxTokens = Math.Max(1, result.GetValue(maxTokens)),
                Prompt = result.GetValue(prompt)!,
                IgnoreEos = !result.GetValue(respectEos),
                ApiKey = result.GetValue(apiKey),
            };
            await error.WriteLineAsync($"bench-serve: {options.Requests} requests × {options.MaxTokens} tokens from {options.Clients} client(s) to {baseUrl} …").ConfigureAwait(false);
            var bench = await ServeBench.RunAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(Format(bench)).ConfigureAwait(false);
            if (bench.FirstError is { } first)
                await error.WriteLineAsync($"error: {bench.Failed} request(s) failed; first: {first}").ConfigureAwait(false);
            return bench.Failed == 0 ? 0 : 1;
        });
        return command;
    }

    internal static string Format(ServeBenchResult r) => string.Create(CultureInfo.InvariantCulture,
        $"| clients | requests | ok | tokens | wall s | tok/s | TTFT p50 ms | TTFT p99 ms | token p50 ms | token p99 ms |\n" +
        $"|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n" +
        $"| {r.Clients} | {r.Requests} | {r.Succeeded} | {r.GeneratedTokens} | {r.WallSeconds:0.0} | {r.TokensPerSecond:0.0} | " +
        $"{r.TtftP50Ms:0} | {r.TtftP99Ms:0} | {r.TokenLatencyP50Ms:0.0} | {r.TokenLatencyP99Ms:0.0} |");
}
