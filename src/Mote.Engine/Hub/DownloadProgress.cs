namespace Mote.Engine.Hub;

/// <summary>How far a download has got.</summary>
/// <param name="File">The repository file being downloaded.</param>
/// <param name="BytesDone">Bytes on disk so far, including any resumed prefix.</param>
/// <param name="TotalBytes">The file's size, when the hub reported it.</param>
/// <param name="ResumedFrom">Bytes that were already on disk when this transfer started (0 for a fresh one).</param>
public readonly record struct DownloadProgress(string File, long BytesDone, long? TotalBytes, long ResumedFrom);
