using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Mote.Server.LocalModels.Scheduling;

namespace Mote.Server.LocalModels;

/// <summary>
/// Instruments of the in-process engine (meter <c>Mote.LocalModels</c>, exported at <c>/metrics</c>), tagged by
/// model: time to first token, time per generated token, prompt tokens computed and reused, generated tokens,
/// forward steps (batched or not), requests by outcome, and gauges for queue depth, sequences running and KV-cache use.
/// </summary>
internal sealed class LocalModelMetrics
{
    public const string MeterName = "Mote.LocalModels";

    private readonly ConcurrentDictionary<string, BatchScheduler> _schedulers = new(StringComparer.Ordinal);
    private readonly Histogram<double> _ttft;
    private readonly Histogram<double> _tokenLatency;
    private readonly Counter<long> _promptTokens;
    private readonly Counter<long> _generated;
    private readonly Counter<long> _steps;
    private readonly Counter<long> _requests;

    public LocalModelMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _ttft = meter.CreateHistogram<double>("mote_local_ttft_seconds", "s", "Time from queueing a request to its first generated token.");
        _tokenLatency = meter.CreateHistogram<double>("mote_local_token_latency_seconds", "s", "Time between consecutive generated tokens of a sequence.");
        _promptTokens = meter.CreateCounter<long>("mote_local_prompt_tokens_total", description: "Prompt tokens by source: evaluated (computed) or reused (cached prefix).");
        _generated = meter.CreateCounter<long>("mote_local_generated_tokens_total", description: "Generated tokens.");
        _steps = meter.CreateCounter<long>("mote_local_steps_total", description: "Forward steps; batched=true when a step carried more than one sequence.");
        _requests = meter.CreateCounter<long>("mote_local_requests_total", description: "Local requests by outcome (stop, length, cancelled, timeout, rejected, error).");
        meter.CreateObservableGauge("mote_local_queue_depth", () => Gauge(s => s.QueueDepth), description: "Requests waiting for a free slot.");
        meter.CreateObservableGauge("mote_local_active_sequences", () => Gauge(s => s.ActiveSequences), description: "Sequences holding a slot.");
        meter.CreateObservableGauge("mote_local_kv_cache_used_tokens", () => Gauge(s => s.CachedTokens), description: "Positions filled in the KV caches of all slots (including kept prefixes).");
        meter.CreateObservableGauge("mote_local_kv_cache_capacity_tokens", () => Gauge(s => s.CacheCapacity), description: "Positions the KV caches of all slots can hold.");
    }

    public void Register(string model, BatchScheduler scheduler) => _schedulers[model] = scheduler;

    public void Unregister(string model) => _schedulers.TryRemove(model, out _);

    public void FirstToken(string model, double seconds) => _ttft.Record(seconds, Tag(model));

    public void NextToken(string model, double seconds) => _tokenLatency.Record(seconds, Tag(model));

    public void Prompt(string model, int evaluated, int reused)
    {
        if (evaluated > 0)
            _promptTokens.Add(evaluated, Tag(model), new KeyValuePair<string, object?>("source", "evaluated"));
        if (reused > 0)
            _promptTokens.Add(reused, Tag(model), new KeyValuePair<string, object?>("source", "reused"));
    }

    public void Generated(string model) => _generated.Add(1, Tag(model));

    public void Step(string model, bool batched) =>
        _steps.Add(1, Tag(model), new KeyValuePair<string, object?>("batched", batched ? "true" : "false"));

    public void Request(string model, string outcome) =>
        _requests.Add(1, Tag(model), new KeyValuePair<string, object?>("outcome", outcome));

    private IEnumerable<Measurement<long>> Gauge(Func<BatchScheduler, long> read)
    {
        foreach (var (model, scheduler) in _schedulers)
            yield return new Measurement<long>(read(scheduler), Tag(model));
    }

    private static KeyValuePair<string, object?> Tag(string model) => new("model", model);
}
