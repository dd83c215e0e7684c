using System.Text;

namespace Mote.Engine.Generation;

/// <summary>
/// Watches streamed text for stop strings. Text that might be the start of a stop string is held back until it
/// is proven not to be; once a stop string appears, everything from it on is dropped.
/// </summary>
public sealed class StopStringMatcher
{
    private readonly string[] _stops;
    private readonly StringBuilder _pending = new();
    private readonly int _longest;

    public StopStringMatcher(IReadOnlyList<string> stops)
    {
        ArgumentNullException.ThrowIfNull(stops);
        _stops = stops.Where(s => s.Length > 0).ToArray();
        _longest = _stops.Length == 0 ? 0 : _stops.Max(s => s.Length);
    }

    /// <summary>True once a stop string has matched.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Adds streamed text; returns the part that is now safe to emit.</summary>
    public string Push(string text)
    {
        if (Stopped)
            return string.Empty;
        if (_stops.Length == 0)
            return text;
        _pending.Append(text);
        var buffered = _pending.ToString();

        var firstMatch = -1;
        foreach (var stop in _stops)
        {
            var index = buffered.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (firstMatch < 0 || index < firstMatch))
                firstMatch = index;
        }
        if (firstMatch >= 0)
        {
            Stopped = true;
            _pending.Clear();
            return buffered[..firstMatch];
        }

        // Hold back the longest suffix that is a prefix of some stop string.
        var keep = 0;
        for (var length = Math.Min(_longest - 1, buffered.Length); length > 0 && keep == 0; length--)
        {
            var suffix = buffered.AsSpan(buffered.Length - length);
            foreach (var stop in _stops)
            {
                if (stop.AsSpan().StartsWith(suffix, StringComparison.Ordinal))
                {
                    keep = length;
                    break;
                }
            }
        }
        _pending.Clear();
        _pending.Append(buffered, buffered.Length - keep, keep);
        return buffered[..^keep];
    }

    /// <summary>Returns whatever is still held back (the stream ended without a match).</summary>
    public string Flush()
    {
        var rest = Stopped ? string.Empty : _pending.ToString();
        _pending.Clear();
        return rest;
    }
}
