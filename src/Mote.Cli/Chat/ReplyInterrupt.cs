namespace Mote.Cli.Chat;

/// <summary>
/// Stops the reply in progress, and only that: Ctrl+C calls <see cref="TryInterrupt"/>, which cancels the reply's
/// token when one is streaming and reports whether it did (so Ctrl+C at the prompt can quit as usual).
/// </summary>
internal sealed class ReplyInterrupt
{
    private readonly Lock _lock = new();
    private CancellationTokenSource? _current;

    /// <summary>A token for one reply, cancelled by <see cref="TryInterrupt"/> or by <paramref name="outer"/>.</summary>
    public CancellationTokenSource Begin(CancellationToken outer)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        lock (_lock)
            _current = source;
        return source;
    }

    public void End(CancellationTokenSource source)
    {
        lock (_lock)
            if (ReferenceEquals(_current, source))
                _current = null;
        source.Dispose();
    }

    /// <summary>Cancels the reply in progress; false when none is running.</summary>
    public bool TryInterrupt()
    {
        lock (_lock)
        {
            if (_current is null)
                return false;
            _current.Cancel();
            return true;
        }
    }
}
