namespace Mote.Cli.GatewayBench;

/// <summary>How long and how hard the gateway benchmark runs.</summary>
internal sealed record GatewayBenchOptions
{
    /// <summary>Rounds of sequential requests for the added-latency figures (median of round medians).</summary>
    public int Rounds { get; init; } = 5;

    /// <summary>Sequential requests per round and path.</summary>
    public int RequestsPerRound { get; init; } = 400;

    /// <summary>Concurrent connections of the load test.</summary>
    public int Connections { get; init; } = 50;

    /// <summary>Seconds of the load test (RPS, CPU per request, peak RSS).</summary>
    public int LoadSeconds { get; init; } = 10;

    /// <summary>Seconds of the soak at full load (RSS growth); 0 skips it.</summary>
    public int SoakSeconds { get; init; }

    /// <summary>Leave the usage ledger off (a diagnostic: how much of the added latency is the durable row).</summary>
    public bool WithoutLedger { get; init; }

    /// <summary>Pin the load generator and upstream to core 0 and the gateway to core 1 (when there are two).</summary>
    public bool Pin { get; init; } = true;
}
