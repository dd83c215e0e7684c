namespace Mote.Engine.Hub;

/// <summary>A file in a Hub repository as the tree API reports it.</summary>
/// <param name="Path">Path inside the repository.</param>
/// <param name="Size">Size in bytes (the LFS object's size for LFS files).</param>
/// <param name="Sha256">The LFS object id, which is the file's SHA-256 in hex; null for small non-LFS files.</param>
public sealed record HubFile(string Path, long Size, string? Sha256);
