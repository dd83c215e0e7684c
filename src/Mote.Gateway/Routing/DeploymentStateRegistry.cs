using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Mote.Gateway.Resilience;

namespace Mote.Gateway.Routing;

/// <summary>
/// Live state of every deployment by name. Kept outside the compiled configuration so that a reload does not
/// forget that a deployment is failing (unless its health settings changed).
/// </summary>
internal sealed class DeploymentStateRegistry(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DeploymentState> _states = new(StringComparer.Ordinal);

    public DeploymentState GetOrCreate(string deployment, CircuitOptions options)
    {
        var state = _states.GetOrAdd(deployment, _ => new DeploymentState(new CircuitBreaker(options, time)));
        if (state.Circuit.Options == options)
            return state;
        var fresh = new DeploymentState(new CircuitBreaker(options, time));
        _states[deployment] = fresh;
        return fresh;
    }

    /// <summary>Forgets deployments that are no longer configured.</summary>
    public void Retain(IEnumerable<string> deployments)
    {
        var keep = deployments.ToHashSet(StringComparer.Ordinal);
        foreach (var name in _states.Keys)
            if (!keep.Contains(name))
                _states.TryRemove(name, out _);
    }

    public IEnumerable<Measurement<int>> CircuitStates()
    {
        foreach (var (name, state) in _states)
            yield return new Measurement<int>((int)state.Circuit.State, new KeyValuePair<string, object?>("deployment", name));
    }

    public IEnumerable<Measurement<long>> InFlight()
    {
        foreach (var (name, state) in _states)
            yield return new Measurement<long>(state.InFlight, new KeyValuePair<string, object?>("deployment", name));
    }
}
