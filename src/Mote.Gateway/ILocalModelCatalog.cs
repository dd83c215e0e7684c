namespace Mote.Gateway;

/// <summary>
/// Where deployments of provider type <c>local</c> find their client. The server's in-process engine registers an
/// implementation in DI; the gateway itself never references the engine. When none is registered, a configuration
/// with a <c>local</c> deployment fails start-up validation.
/// </summary>
public interface ILocalModelCatalog
{
    /// <summary>
    /// The client serving <paramref name="model"/> (the deployment's <c>model</c>: a file path or alias), or null when
    /// this catalog does not know the model. A returned client may also implement <see cref="IReadinessProbe"/>.
    /// </summary>
    IChatCompletionClient? Find(string model);
}
