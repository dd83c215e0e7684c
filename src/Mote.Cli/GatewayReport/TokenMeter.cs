using System.Diagnostics.Metrics;

namespace Mote.Cli.GatewayReport;

/// <summary>
/// Counts the tokens each deployment consumed, as the gateway reports them on its <c>mote_gateway_tokens_total</c>
/// counter (meter <c>Mote.Gateway</c>, tags <c>deployment</c> and <c>type</c>), for one gateway instance only
/// (its meter factory). The gateway records a request's attempts before the request returns, so with requests sent
/// one at a time <see cref="Take"/> after each gives that request's tokens per deployment — every tier a cascade
/// tried, not only the one that answered.
/// </summary>
internal sealed class TokenMeter : IDisposable
{
    private const string MeterName = "Mote.Gateway";
    private const string TokensInstrument = "mote_gateway_tokens_total";

    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private Dictionary<string, (int Prompt, int Completion)> _counts = new(StringComparer.Ordinal);

    public TokenMeter(IMeterFactory gatewayMeters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == TokensInstrument && instrument.Meter.Name == MeterName && ReferenceEquals(instrument.Meter.Scope, gatewayMeters))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>(OnTokens);
        _listener.Start();
    }

    /// <summary>Tokens per deployment since the last call, and starts counting afresh.</summary>
    public Dictionary<string, (int Prompt, int Completion)> Take()
    {
        lock (_lock)
        {
            var taken = _counts;
            _counts = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
            return taken;
        }
    }

    private void OnTokens(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? deployment = null, type = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "deployment")
                deployment = tag.Value as string;
            else if (tag.Key == "type")
                type = tag.Value as string;
        }
        if (deployment is null)
            return;
        lock (_lock)
        {
            var (prompt, completion) = _counts.GetValueOrDefault(deployment);
            _counts[deployment] = type == "prompt" ? (prompt + (int)value, completion) : (prompt, completion + (int)value);
        }
    }

    public void Dispose() => _listener.Dispose();
}
