using System.Globalization;
using System.Text;

namespace Mote.Cli.GatewayBench;

/// <summary>What the gateway benchmark measured; all latencies in milliseconds.</summary>
internal sealed record GatewayBenchResult
{
    public double DirectP50Ms { get; init; }
    public double GatewayP50Ms { get; init; }
    public double AddedP50Ms { get; init; }
    public double AddedP99Ms { get; init; }
    public double DirectFirstTokenP50Ms { get; init; }
    public double GatewayFirstTokenP50Ms { get; init; }
    public double AddedFirstTokenP50Ms { get; init; }
    public double Rps { get; init; }
    public double DirectRps { get; init; }
    public double GatewayCpuPerRequestMs { get; init; }
    public long Requests { get; init; }
    public long Errors { get; init; }
    public double IdleRssMiB { get; init; }
    public double PeakRssMiB { get; init; }
    public double? SoakStartRssMiB { get; init; }
    public double? SoakEndRssMiB { get; init; }

    /// <summary>The gateway's RSS after each minute of the soak.</summary>
    public IReadOnlyList<double> SoakRssSamplesMiB { get; init; } = [];
    public int SoakSeconds { get; init; }
    public int Connections { get; init; }
    public string Machine { get; init; } = "";
    public bool Ledger { get; init; } = true;

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| path | added p50 at 1 conn | added p99 at 1 conn | added first-token p50 | RPS at " + Connections + " conns | gateway CPU per request | RSS idle → peak |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"| Mote gateway (keys, routing, retries, ledger {(Ledger ? "on" : "off")}) | +{AddedP50Ms:0.000} ms | +{AddedP99Ms:0.000} ms | +{AddedFirstTokenP50Ms:0.000} ms | {Rps:0} | {GatewayCpuPerRequestMs:0.000} ms | {IdleRssMiB:0} → {PeakRssMiB:0} MiB |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Direct to the fake upstream: p50 {DirectP50Ms:0.000} ms, first token p50 {DirectFirstTokenP50Ms:0.000} ms, {DirectRps:0} RPS at {Connections} connections. Through the gateway: p50 {GatewayP50Ms:0.000} ms, first token p50 {GatewayFirstTokenP50Ms:0.000} ms; {Requests} load requests, {Errors} errors.");
        if (SoakStartRssMiB is { } start && SoakEndRssMiB is { } end)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Soak: {SoakSeconds} s at {Connections} connections, RSS {start:0} → {end:0} MiB ({end - start:+0;-0;0} MiB).");
            if (SoakRssSamplesMiB.Count > 1)
                text.AppendLine(CultureInfo.InvariantCulture, $"Soak RSS after each minute: {string.Join(", ", SoakRssSamplesMiB.Select(m => m.ToString("0", CultureInfo.InvariantCulture)))} MiB.");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Machine}.");
        return text.ToString();
    }
}
