namespace Mote.Engine.Hub;

/// <summary>A GGUF file in the local cache.</summary>
/// <param name="Repository">The Hub repository it came from, <c>owner/name</c>.</param>
/// <param name="File">Its path inside that repository.</param>
/// <param name="Path">Where it is on disk.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Alias">The shipped alias that names this exact file, if any.</param>
public sealed record CachedModel(string Repository, string File, string Path, long Size, string? Alias);
