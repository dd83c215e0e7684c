using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Mote.Gateway.Usage;

/// <summary>
/// One process's append-only log of ledger rows next to the database: <c>{db}-rows-{instance}-{segment}</c> files of
/// <see cref="LedgerRecord"/>s, and <c>{db}-rows-{instance}.lock</c>, held exclusively while the process lives. A
/// record is one <c>write</c> into the page cache: once it returns, the row survives the process being killed
/// (not a power cut, like SQLite's WAL with <c>synchronous=NORMAL</c>). The ledger imports rows into SQLite in the
/// background and deletes segments it has imported; a later process imports what a killed one left
/// (<see cref="Abandoned"/>). Not thread-safe: the ledger serializes appends.
/// </summary>
internal sealed class UsageJournal : IDisposable
{
    /// <summary>A segment is closed and a new one started past this size (tests change it).</summary>
    internal const long DefaultSegmentBytes = 4L << 20;

    private readonly string _prefix;
    private readonly SafeFileHandle _lock;
    private readonly long _segmentLimit;
    private readonly List<(string Path, long LastSeq)> _closed = [];
    private SafeFileHandle? _segment;
    private string? _segmentPath;
    private long _segmentBytes;
    private int _segmentNumber;
    private long _lastSeq;

    private UsageJournal(string prefix, SafeFileHandle lockHandle, long segmentLimit)
    {
        _prefix = prefix;
        _lock = lockHandle;
        _segmentLimit = segmentLimit;
    }

    /// <summary>The instance name in the file names.</summary>
    public string Instance { get; private init; } = "";

    /// <summary>Starts a journal for this process with a fresh instance name.</summary>
    public static UsageJournal Create(string databasePath, long segmentLimit = DefaultSegmentBytes)
    {
        for (var attempt = 0; ; attempt++)
        {
            var instance = RandomIds.New("", 12);
            var prefix = $"{databasePath}-rows-{instance}";
            try
            {
                // CreateNew: a name nobody used; FileShare.None: an exclusive lock (flock on Unix) for the process's life.
                var handle = File.OpenHandle(prefix + ".lock", FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
                return new UsageJournal(prefix, handle, segmentLimit) { Instance = instance };
            }
            catch (IOException) when (attempt < 3)
            {
                // A name taken, or a starting process's recovery holding the brand-new lock file: another name.
            }
        }
    }

    /// <summary>Appends one record (written by <see cref="LedgerRecord.Write"/>) with sequence number <paramref name="seq"/>.</summary>
    public void Append(ReadOnlySpan<byte> record, long seq)
    {
        if (_segment is null || _segmentBytes > 0 && _segmentBytes + record.Length > _segmentLimit)
            StartSegment();
        RandomAccess.Write(_segment!, record, _segmentBytes);
        _segmentBytes += record.Length;
        _lastSeq = seq;
    }

    /// <summary>Deletes the closed segments whose rows all reached the database (sequence ≤ <paramref name="imported"/>).</summary>
    public void DeleteImported(long imported)
    {
        var count = 0;
        while (count < _closed.Count && _closed[count].LastSeq <= imported)
            File.Delete(_closed[count++].Path);
        _closed.RemoveRange(0, count);
    }

    /// <summary>After every row reached the database: deletes the segments and the lock file, and releases the lock.</summary>
    public void DeleteAll()
    {
        _segment?.Dispose();
        _segment = null;
        foreach (var (path, _) in _closed)
            File.Delete(path);
        _closed.Clear();
        if (_segmentPath is not null)
            File.Delete(_segmentPath);
        File.Delete(_prefix + ".lock");
        _lock.Dispose();
    }

    /// <summary>Closes the files and releases the lock, leaving the rows for the next start to import.</summary>
    public void Dispose()
    {
        _segment?.Dispose();
        _lock.Dispose();
    }

    private void StartSegment()
    {
        if (_segment is not null)
        {
            _segment.Dispose();
            _closed.Add((_segmentPath!, _lastSeq));
        }
        _segmentNumber++;
        _segmentPath = $"{_prefix}-{_segmentNumber.ToString("D6", CultureInfo.InvariantCulture)}";
        _segment = File.OpenHandle(_segmentPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        _segmentBytes = 0;
    }

    /// <summary>
    /// The journals of processes that are gone (their lock could be taken), each locked until disposed. Journals of
    /// live processes, this one's included, are skipped.
    /// </summary>
    public static List<AbandonedJournal> Abandoned(string databasePath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        var lockPrefix = Path.GetFileName(databasePath) + "-rows-";
        var found = new List<AbandonedJournal>();
        foreach (var lockPath in Directory.EnumerateFiles(directory, lockPrefix + "*.lock"))
        {
            SafeFileHandle handle;
            try
            {
                handle = File.OpenHandle(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                continue; // its process is alive (or the file just went away)
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }
            var prefix = lockPath[..^".lock".Length];
            var instance = Path.GetFileName(prefix)[lockPrefix.Length..];
            var segments = Directory.EnumerateFiles(directory, Path.GetFileName(prefix) + "-*")
                .Where(p => !p.EndsWith(".lock", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .ToList();
            found.Add(new AbandonedJournal(instance, lockPath, segments, handle));
        }
        return found;
    }

    /// <summary>Every whole record of <paramref name="segmentPath"/>, in order; reading stops at a torn or damaged one.</summary>
    public static IEnumerable<(long Seq, LedgerRow Row)> Read(string segmentPath)
    {
        var bytes = File.ReadAllBytes(segmentPath);
        var at = 0;
        while (LedgerRecord.TryRead(bytes.AsSpan(at), out var seq, out var row, out var size))
        {
            yield return (seq, row!);
            at += size;
        }
    }
}

/// <summary>A dead process's journal, locked by this one while its rows are imported.</summary>
internal sealed class AbandonedJournal(string instance, string lockPath, List<string> segments, SafeFileHandle handle) : IDisposable
{
    public string Instance { get; } = instance;

    public IReadOnlyList<string> Segments { get; } = segments;

    /// <summary>After its rows reached the database: deletes the segments, then (by the caller, in between) nothing else refers to it.</summary>
    public void DeleteSegments()
    {
        foreach (var path in Segments)
            File.Delete(path);
    }

    /// <summary>Deletes the lock file and releases it: the journal is gone.</summary>
    public void DeleteLock()
    {
        File.Delete(lockPath);
        handle.Dispose();
    }

    public void Dispose() => handle.Dispose();
}
