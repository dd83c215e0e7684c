using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Mote.Evaluation.Benchmarks;

/// <summary>
/// A serving load generator: <see cref="ServeBenchOptions.Clients"/> concurrent clients stream chat completions
/// until <see cref="ServeBenchOptions.Requests"/> have been sent, timing the first content chunk of each answer and
/// the gaps between later chunks. Speaks plain OpenAI SSE, so it measures any compatible server.
/// </summary>
public static class ServeBench
{
    public static async Task<ServeBenchResult> RunAsync(ServeBenchOptions options, HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Clients, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Requests, 1);
        var owned = http is null;
        http ??= new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            var endpoint = new Uri(options.Url, options.Url.AbsolutePath.TrimEnd('/') + "/v1/chat/completions");
            var next = 0;
            var timings = new List<RequestTiming>();
            var clock = Stopwatch.StartNew();
            var clients = Enumerable.Range(0, options.Clients).Select(async _ =>
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) <= options.Requests)
                {
                    var timing = await SendAsync(http, endpoint, options, index, cancellationToken).ConfigureAwait(false);
                    lock (timings)
                        timings.Add(timing);
                }
            });
            await Task.WhenAll(clients).ConfigureAwait(false);
            var wall = clock.Elapsed.TotalSeconds;

            var ok = timings.Where(t => t.Error is null).ToList();
            var ttft = ok.Where(t => t.TtftMs is not null).Select(t => t.TtftMs!.Value).ToArray();
            var gaps = ok.SelectMany(t => t.GapsMs).ToArray();
            return new ServeBenchResult
            {
                Clients = options.Clients,
                Requests = options.Requests,
                Succeeded = ok.Count,
                Failed = timings.Count - ok.Count,
                GeneratedTokens = ok.Sum(t => (long)t.Tokens),
                WallSeconds = wall,
                TtftP50Ms = Percentile(ttft, 0.50),
                TtftP99Ms = Percentile(ttft, 0.99),
                TokenLatencyP50Ms = Percentile(gaps, 0.50),
                TokenLatencyP99Ms = Percentile(gaps, 0.99),
                FirstError = timings.FirstOrDefault(t => t.Error is not null)?.Error,
            };
        }
        finally
        {
            if (owned)
                http.Dispose();
        }
    }

    /// <summary>Nearest-rank percentile (0 for no samples).</summary>
    public static double Percentile(double[] samples, double p)
    {
        if (samples.Length == 0)
            return 0;
        var sorted = (double[])samples.Clone();
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private sealed record RequestTiming(double? TtftMs, List<double> GapsMs, int Tokens, string? Error);

    private static async Task<RequestTiming> SendAsync(HttpClient http, Uri endpoint, ServeBenchOptions options, int index,
        CancellationToken cancellationToken)
    {
        var gaps = new List<double>();
        double? ttft = null;
        var chunks = 0;
        int? reported = null;
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = options.Model,
            ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = $"{index}. {options.Prompt}" } },
            ["max_tokens"] = options.MaxTokens,
            ["temperature"] = options.Temperature,
            ["stream"] = true,
            ["stream_options"] = new Dictionary<string, bool> { ["include_usage"] = true },
            ["ignore_eos"] = options.IgnoreEos,
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (options.ApiKey is { } key)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                return new RequestTiming(null, gaps, 0, $"HTTP {(int)response.StatusCode}: {text}");
            }
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            var last = start;
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal))
                    continue;
                var data = line.AsMemory(6);
                if (data.Span.SequenceEqual("[DONE]"))
                    break;
                var now = Stopwatch.GetTimestamp();
                using var json = JsonDocument.Parse(data);
                var root = json.RootElement;
                if (root.TryGetProperty("error", out var error))
                    return new RequestTiming(ttft, gaps, 0, error.ToString());
                if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
                    reported = usage.GetProperty("completion_tokens").GetInt32();
                if (!HasContent(root))
                    continue;
                chunks++;
                if (ttft is null)
                    ttft = Stopwatch.GetElapsedTime(start, now).TotalMilliseconds;
                else
                    gaps.Add(Stopwatch.GetElapsedTime(last, now).TotalMilliseconds);
                last = now;
            }
            return new RequestTiming(ttft, gaps, reported ?? chunks, null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException)
        {
            return new RequestTiming(ttft, gaps, 0, e.Message);
        }
    }

    private static bool HasContent(JsonElement chunk)
    {
        if (!chunk.TryGetProperty("choices", out var choices))
            return false;
        foreach (var choice in choices.EnumerateArray())
            if (choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var content)
                && content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 })
                return true;
        return false;
    }
}
