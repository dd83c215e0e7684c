using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Mote.Cli.GatewayBench;

/// <summary>
/// Measures what the gateway adds: the same requests go to a fast fake upstream directly and through a
/// <c>mote serve</c> child process (keys, routing, retries and the ledger all on), interleaved so drift hits both
/// paths alike. Gateway CPU and RSS are read from the child process alone.
/// </summary>
internal sealed class GatewayBenchRunner(GatewayBenchOptions options, TextWriter log)
{
    private static readonly byte[] s_plainBody = Encoding.UTF8.GetBytes(
        """{"model":"bench","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say something."}],"max_tokens":16}""");

    private static readonly byte[] s_streamBody = Encoding.UTF8.GetBytes(
        """{"model":"bench","messages":[{"role":"user","content":"Say something."}],"stream":true,"stream_options":{"include_usage":true}}""");

    private const int WarmupLoadSeconds = 3;
    private const int SoakSampleSeconds = 60;

    private static readonly TimeSpan s_settleLimit = TimeSpan.FromSeconds(15);

    private readonly string _key = "sk-bench-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public async Task<GatewayBenchResult> RunAsync(CancellationToken cancellationToken)
    {
        await using var upstream = await BenchUpstream.StartAsync().ConfigureAwait(false);
        var directUrl = upstream.BaseUrl + "/v1/chat/completions";
        var directory = Directory.CreateTempSubdirectory("mote-gateway-bench-").FullName;
        var port = FreePort();
        var configPath = Path.Combine(directory, "gateway.yaml");
        await File.WriteAllTextAsync(configPath, Config(upstream.BaseUrl), cancellationToken).ConfigureAwait(false);

        using var gateway = StartGateway(configPath, port);
        try
        {
            var gatewayUrl = $"http://127.0.0.1:{port}/v1/chat/completions";
            using var http = new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = Math.Max(64, options.Connections * 2),
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                UseProxy = false,
            }) { Timeout = TimeSpan.FromSeconds(30) };
            await WaitForHealthAsync(http, port, gateway, cancellationToken).ConfigureAwait(false);

            log.WriteLine("warming up…");
            for (var i = 0; i < 300; i++)
            {
                await TimeAsync(http, directUrl, cancellationToken).ConfigureAwait(false);
                await TimeAsync(http, gatewayUrl, cancellationToken).ConfigureAwait(false);
                await FirstTokenAsync(http, gatewayUrl, cancellationToken).ConfigureAwait(false);
            }
            // Concurrent requests take code paths the sequential ones do not; then let the gateway's JIT finish the
            // tier-up these requests triggered, or it would compete with the first measured requests for the core.
            await LoadAsync(http, gatewayUrl, WarmupLoadSeconds, null, cancellationToken).ConfigureAwait(false);
            await SettleAsync(gateway, cancellationToken).ConfigureAwait(false);
            var idleRss = Rss(gateway);

            log.WriteLine("added latency at 1 connection…");
            var (direct, through, roundMedians) = await SequentialAsync(http, directUrl, gatewayUrl, TimeAsync, options.RequestsPerRound, cancellationToken).ConfigureAwait(false);
            log.WriteLine("added first-token latency…");
            var (directFirst, throughFirst, firstMedians) = await SequentialAsync(http, directUrl, gatewayUrl, FirstTokenAsync, Math.Max(50, options.RequestsPerRound / 2), cancellationToken).ConfigureAwait(false);

            log.WriteLine($"load at {options.Connections} connections…");
            var directLoad = await LoadAsync(http, directUrl, options.LoadSeconds, null, cancellationToken).ConfigureAwait(false);
            var peak = new PeakRss(gateway);
            var cpuBefore = Cpu(gateway);
            var load = await LoadAsync(http, gatewayUrl, options.LoadSeconds, peak, cancellationToken).ConfigureAwait(false);
            var cpu = Cpu(gateway) - cpuBefore;

            double? soakStart = null, soakEnd = null;
            var soakSamples = new List<double>();
            if (options.SoakSeconds > 0)
            {
                log.WriteLine($"soak for {options.SoakSeconds} s…");
                soakStart = Rss(gateway);
                // RSS after each minute of load: growth that levels off (warm-up: JIT, pools, caches) and growth that
                // goes on (a leak) look the same from the two ends alone.
                for (var done = 0; done < options.SoakSeconds; done += SoakSampleSeconds)
                {
                    await LoadAsync(http, gatewayUrl, Math.Min(SoakSampleSeconds, options.SoakSeconds - done), peak, cancellationToken).ConfigureAwait(false);
                    soakSamples.Add(Rss(gateway));
                }
                soakEnd = soakSamples[^1];
            }

            return new GatewayBenchResult
            {
                DirectP50Ms = Percentile(direct, 0.5),
                GatewayP50Ms = Percentile(through, 0.5),
                AddedP50Ms = Percentile(roundMedians, 0.5),
                AddedP99Ms = Percentile(through, 0.99) - Percentile(direct, 0.99),
                DirectFirstTokenP50Ms = Percentile(directFirst, 0.5),
                GatewayFirstTokenP50Ms = Percentile(throughFirst, 0.5),
                AddedFirstTokenP50Ms = Percentile(firstMedians, 0.5),
                Rps = load.Requests / load.Seconds,
                DirectRps = directLoad.Requests / directLoad.Seconds,
                GatewayCpuPerRequestMs = cpu.TotalMilliseconds / Math.Max(1, load.Requests),
                Requests = load.Requests,
                Errors = load.Errors,
                IdleRssMiB = idleRss,
                PeakRssMiB = peak.MiB,
                SoakStartRssMiB = soakStart,
                SoakEndRssMiB = soakEnd,
                SoakRssSamplesMiB = soakSamples,
                SoakSeconds = options.SoakSeconds,
                Ledger = !options.WithoutLedger,
                Connections = options.Connections,
                Machine = $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, .NET {Environment.Version}"
                    + (options.Pin && Pinnable ? "; gateway pinned to core 1 (with multi-core tier-up timing)" : ""),
            };
        }
        finally
        {
            if (!gateway.HasExited)
                gateway.Kill(entireProcessTree: true);
            await gateway.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            TryDelete(directory);
        }
    }

    /// <summary>Keys, a balanced route with a fallback, retries and the ledger: the gateway's ordinary work.</summary>
    private string Config(string upstreamUrl) => $$"""
        providers:
          fake: { type: openai-compatible, base_url: "{{upstreamUrl}}/v1" }
        deployments:
          a: { provider: fake, model: bench-a, input_price: 0.15, output_price: 0.6 }
          b: { provider: fake, model: bench-b, input_price: 0.15, output_price: 0.6 }
        routes:
          bench: { fallback: [ { balance: [a, b], policy: least-busy }, b ] }
        keys:
          master_key_env: MOTE_BENCH_MASTER
          virtual:
            - { name: bench, key_sha256: "{{Sha256(_key)}}", rpm: 100000000, tpm: 2000000000, budget_usd: 1000000 }
        usage: { database: bench-usage.db, enabled: {{(options.WithoutLedger ? "false" : "true")}} }
        """;

    private static bool Pinnable => Environment.ProcessorCount >= 2 && File.Exists("/usr/bin/taskset");

    private Process StartGateway(string configPath, int port)
    {
        var exe = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot find the mote executable to start the gateway.");
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var arguments = new List<string>();
        if (options.Pin && Pinnable)
        {
            start.FileName = "/usr/bin/taskset";
            arguments.AddRange(["-c", "1", exe]);
        }
        else
        {
            start.FileName = exe;
        }
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet")
            arguments.Add(Assembly.GetEntryAssembly()!.Location);
        arguments.AddRange(["serve", "--config", configPath, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["MOTE_BENCH_MASTER"] = "sk-master-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        start.Environment["DOTNET_gcServer"] = "0";
        if (options.Pin && Pinnable)
        {
            // Pinning is part of the measurement, not of the gateway: a process affinitized to one CPU makes the
            // runtime wait ten times longer (1 s instead of 100 ms, restarted by every newly jitted method) before it
            // starts promoting hot methods out of tier 0, so a short benchmark would time mostly unoptimized code that
            // a gateway on a multi-core machine leaves behind within a second. This restores the multi-core tiering.
            start.Environment["DOTNET_TC_DelaySingleProcMultiplier"] = "1";
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the gateway process.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
                log.WriteLine("gateway: " + line);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForHealthAsync(HttpClient http, int port, Process gateway, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 300; i++)
        {
            if (gateway.HasExited)
                throw new InvalidOperationException($"The gateway exited with code {gateway.ExitCode} before it was ready.");
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health"), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        throw new TimeoutException("The gateway did not become ready within 30 s.");
    }

    private delegate Task<double> Probe(HttpClient http, string url, CancellationToken cancellationToken);

    /// <summary>Sequential requests alternating between the two paths; returns all samples and per-round median differences.</summary>
    private async Task<(List<double> Direct, List<double> Gateway, List<double> RoundDifferences)> SequentialAsync(
        HttpClient http, string directUrl, string gatewayUrl, Probe probe, int perRound, CancellationToken cancellationToken)
    {
        var direct = new List<double>();
        var through = new List<double>();
        var differences = new List<double>();
        for (var round = 0; round < options.Rounds; round++)
        {
            var d = new List<double>(perRound);
            var g = new List<double>(perRound);
            for (var i = 0; i < perRound; i++)
            {
                d.Add(await probe(http, directUrl, cancellationToken).ConfigureAwait(false));
                g.Add(await probe(http, gatewayUrl, cancellationToken).ConfigureAwait(false));
            }
            differences.Add(Percentile(g, 0.5) - Percentile(d, 0.5));
            direct.AddRange(d);
            through.AddRange(g);
        }
        return (direct, through, differences);
    }

    private Task<double> TimeAsync(HttpClient http, string url, CancellationToken cancellationToken) =>
        SendAsync(http, url, s_plainBody, cancellationToken);

    private async Task<double> SendAsync(HttpClient http, string url, byte[] body, CancellationToken cancellationToken)
    {
        using var request = Request(url, body);
        var start = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
        return elapsed;
    }

    /// <summary>Time until the first content delta of a streamed answer arrives.</summary>
    private async Task<double> FirstTokenAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        using var request = Request(url, s_streamBody);
        var start = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[16384];
        var filled = 0;
        double? first = null;
        int read;
        while ((read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
        {
            filled += read;
            if (first is null && buffer.AsSpan(0, filled).IndexOf("\"delta\":{\"content\":\""u8) >= 0)
                first = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            if (filled > buffer.Length - 4096)
                filled = 0; // the marker was either seen already or lies ahead; keep reading to the end
        }
        return first ?? throw new InvalidOperationException($"{url} streamed no content.");
    }

    private HttpRequestMessage Request(string url, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _key);
        return request;
    }

    private async Task<(long Requests, long Errors, double Seconds)> LoadAsync(
        HttpClient http, string url, int seconds, PeakRss? peak, CancellationToken cancellationToken)
    {
        long requests = 0, errors = 0;
        var stop = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var start = Stopwatch.GetTimestamp();
        using var sampler = peak?.Start();
        var workers = Enumerable.Range(0, options.Connections).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < stop && !cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await SendAsync(http, url, s_plainBody, cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref requests);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        return (requests, errors, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>
    /// Waits (at most <see cref="s_settleLimit"/>) until the idle gateway uses under 2% of a core over a quarter second:
    /// its background compilation is done.
    /// </summary>
    private static async Task SettleAsync(Process gateway, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMilliseconds(250);
        var start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start) < s_settleLimit)
        {
            var before = Cpu(gateway);
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            if (Cpu(gateway) - before < interval * 0.02)
                return;
        }
    }

    private static TimeSpan Cpu(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    private static double Rss(Process process)
    {
        process.Refresh();
        return process.WorkingSet64 / (1024.0 * 1024.0);
    }

    private static double Percentile(List<double> samples, double p)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(p * sorted.Length))];
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    /// <summary>Samples the gateway's RSS four times a second while a load runs.</summary>
    private sealed class PeakRss(Process process)
    {
        public double MiB { get; private set; }

        public IDisposable Start() => new Timer(_ => MiB = Math.Max(MiB, Rss(process)), null, 0, 250);
    }
}
