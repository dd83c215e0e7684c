namespace Mote.Engine.Hub;

/// <summary>A reference resolved against the hub: the exact file to download.</summary>
/// <param name="Reference">What was asked for.</param>
/// <param name="File">The chosen file with its size and SHA-256.</param>
/// <param name="ChosenAutomatically">True when no file was named and the default-quant rule picked this one.</param>
/// <param name="GgufFiles">The GGUF files the repository offers (what the pick was made from).</param>
public sealed record ResolvedModel(ModelReference Reference, HubFile File, bool ChosenAutomatically, IReadOnlyList<string> GgufFiles);
