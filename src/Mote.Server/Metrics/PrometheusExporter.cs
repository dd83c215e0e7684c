using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

namespace Mote.Server.Metrics;

/// <summary>
/// Collects every instrument of this server's <c>Mote.*</c> meters through a <see cref="MeterListener"/> and
/// writes them in the Prometheus text format (0.0.4): counters as sums, histograms as cumulative buckets with
/// <c>_sum</c> and <c>_count</c>, observable gauges read at scrape time.
/// </summary>
internal sealed class PrometheusExporter : IDisposable
{
    private readonly IMeterFactory _meterFactory;
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _series = new();

    public PrometheusExporter(IMeterFactory meterFactory)
    {
        _meterFactory = meterFactory;
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (IsOurs(instrument.Meter))
                {
                    _series.TryAdd(instrument, new InstrumentSeries(instrument));
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>
    /// <c>Mote.*</c> meters this server made, or made process-wide without a factory. Kestrel, hosting, routing and
    /// HttpClient create their meters through the same factory; listening to them would switch on their per-request
    /// measurements (each with many tags) and cost more CPU per request than the gateway's own work.
    /// </summary>
    private bool IsOurs(Meter meter) =>
        meter.Name.StartsWith("Mote", StringComparison.Ordinal)
        && (meter.Scope is null || ReferenceEquals(meter.Scope, _meterFactory));

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_series.TryGetValue(instrument, out var series))
            series.Record(value, tags);
    }

    public string Export()
    {
        // Observable gauges report now; their previous values are replaced.
        foreach (var series in _series.Values)
            if (series.IsObservable)
                series.Clear();
        _listener.RecordObservableInstruments();

        var text = new StringBuilder(4096);
        foreach (var series in _series.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
            series.WriteTo(text);
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();
}
