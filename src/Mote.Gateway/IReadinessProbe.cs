namespace Mote.Gateway;

/// <summary>
/// Optional capability of a client whose backend can be up but not ready (a llama.cpp server loading its model
/// answers <c>/health</c> with 503; a local model still memory-mapping). The gateway sends no traffic until ready.
/// </summary>
public interface IReadinessProbe
{
    ValueTask<bool> IsReadyAsync(CancellationToken cancellationToken);
}
