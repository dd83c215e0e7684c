namespace Mote.Engine.Hub;

/// <summary>The result of a pull: a complete, verified GGUF file in the cache.</summary>
/// <param name="Reference">What was asked for.</param>
/// <param name="File">The repository file.</param>
/// <param name="Path">Where it is on disk.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="WasCached">True when it was already in the cache and nothing was downloaded.</param>
/// <param name="ChosenAutomatically">True when the default-quant rule picked the file.</param>
/// <param name="Sha256">The SHA-256 the download was verified against; null when cached or when the hub gave none.</param>
public sealed record PulledModel(ModelReference Reference, string File, string Path, long Size, bool WasCached, bool ChosenAutomatically, string? Sha256);
