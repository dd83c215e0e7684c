using System.Diagnostics;
using System.Diagnostics.Metrics;
using Mote.Gateway.Routing;

namespace Mote.Gateway.Usage;

/// <summary>
/// The gateway's instruments (meter <c>Mote.Gateway</c>), tagged by deployment. Exported as Prometheus text by the
/// server's <c>/metrics</c> endpoint; names are already in Prometheus form.
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "Mote.Gateway";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _ttft;
    private readonly Counter<long> _tokens;
    private readonly Counter<double> _cost;
    private readonly Counter<double> _saved;

    public GatewayMetrics(IMeterFactory meterFactory, DeploymentStateRegistry states)
    {
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>("mote_gateway_requests_total", description: "Upstream calls by deployment and outcome.");
        _errors = meter.CreateCounter<long>("mote_gateway_errors_total", description: "Failed upstream calls by deployment and failure class.");
        _duration = meter.CreateHistogram<double>("mote_gateway_request_duration_seconds", "s", "Upstream call duration.");
        _ttft = meter.CreateHistogram<double>("mote_gateway_ttft_seconds", "s", "Time to first token of upstream calls.");
        _tokens = meter.CreateCounter<long>("mote_gateway_tokens_total", description: "Tokens by deployment and type (prompt, completion).");
        _cost = meter.CreateCounter<double>("mote_gateway_cost_usd_total", description: "Spend in USD by deployment.");
        _saved = meter.CreateCounter<double>("mote_gateway_saved_usd_total", description: "USD saved by local answers, valued at the route's reference model.");
        meter.CreateObservableGauge("mote_gateway_circuit_state", () => states.CircuitStates(),
            description: "Circuit state by deployment: 0 closed, 1 half-open, 2 open.");
        meter.CreateObservableGauge("mote_gateway_in_flight", () => states.InFlight(),
            description: "Upstream calls in flight by deployment.");
    }

    public void Succeeded(string deployment, double seconds)
    {
        _requests.Add(1, new KeyValuePair<string, object?>("deployment", deployment), new KeyValuePair<string, object?>("outcome", "ok"));
        _duration.Record(seconds, new KeyValuePair<string, object?>("deployment", deployment));
    }

    public void Failed(string deployment, FailureKind kind, double seconds)
    {
        _requests.Add(1, new KeyValuePair<string, object?>("deployment", deployment), new KeyValuePair<string, object?>("outcome", "error"));
        _errors.Add(1, new KeyValuePair<string, object?>("deployment", deployment), new KeyValuePair<string, object?>("class", kind.Label()));
        _duration.Record(seconds, new KeyValuePair<string, object?>("deployment", deployment));
    }

    public void FirstToken(string deployment, double seconds) =>
        _ttft.Record(seconds, new KeyValuePair<string, object?>("deployment", deployment));

    public void Consumed(string deployment, int promptTokens, int completionTokens, double cost, double saved)
    {
        var tag = new KeyValuePair<string, object?>("deployment", deployment);
        _tokens.Add(promptTokens, tag, new KeyValuePair<string, object?>("type", "prompt"));
        _tokens.Add(completionTokens, tag, new KeyValuePair<string, object?>("type", "completion"));
        if (cost > 0)
            _cost.Add(cost, tag);
        if (saved > 0)
            _saved.Add(saved, tag);
    }
}
