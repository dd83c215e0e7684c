using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Mote.Server.Metrics;

/// <summary>The values of one instrument, one entry per distinct label set, and their Prometheus text.</summary>
internal sealed class InstrumentSeries(Instrument instrument)
{
    /// <summary>Bucket bounds in the instrument's unit (seconds for latencies): 1 ms to 2 minutes.</summary>
    private static readonly double[] s_bounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Point> _points = new(StringComparer.Ordinal);
    private readonly Dictionary<TagKey, Point> _byTags = [];
    private string? _type;

    public string Name { get; } = Sanitize(instrument.Name);

    public bool IsObservable => instrument.IsObservable;

    private string Type => _type ??= instrument switch
    {
        _ when instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal) => "histogram",
        _ when instrument.GetType().Name.Contains("Counter", StringComparison.Ordinal) && !instrument.GetType().Name.Contains("UpDown", StringComparison.Ordinal) => "counter",
        _ => "gauge",
    };

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // The hot path looks points up by the tag values themselves; the label text is built once per series.
        var key = new TagKey(tags);
        lock (_lock)
        {
            if (!_byTags.TryGetValue(key, out var point))
            {
                var labels = Labels(tags);
                if (!_points.TryGetValue(labels, out point))
                    _points[labels] = point = new Point(Type == "histogram" ? new long[s_bounds.Length] : null);
                _byTags[key] = point;
            }
            switch (Type)
            {
                case "histogram":
                    point.Sum += value;
                    point.Count++;
                    for (var i = 0; i < s_bounds.Length; i++)
                        if (value <= s_bounds[i])
                        {
                            point.Buckets![i]++;
                            break;
                        }
                    break;
                case "counter":
                    point.Sum += value;
                    break;
                default:
                    // Observable gauges and up-down counters report their current value or a change.
                    point.Sum = instrument.IsObservable ? value : point.Sum + value;
                    break;
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _points.Clear();
            _byTags.Clear();
        }
    }

    public void WriteTo(StringBuilder text)
    {
        lock (_lock)
        {
            if (_points.Count == 0)
                return;
            if (instrument.Description is { Length: > 0 } help)
                text.Append("# HELP ").Append(Name).Append(' ').Append(help.Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
            text.Append("# TYPE ").Append(Name).Append(' ').Append(Type).Append('\n');
            foreach (var (labels, point) in _points.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                if (point.Buckets is { } buckets)
                {
                    long cumulative = 0;
                    for (var i = 0; i < s_bounds.Length; i++)
                    {
                        cumulative += buckets[i];
                        Sample(text, Name + "_bucket", Join(labels, $"le=\"{Number(s_bounds[i])}\""), cumulative);
                    }
                    Sample(text, Name + "_bucket", Join(labels, "le=\"+Inf\""), point.Count);
                    Sample(text, Name + "_sum", labels, point.Sum);
                    Sample(text, Name + "_count", labels, point.Count);
                }
                else
                {
                    Sample(text, Name, labels, point.Sum);
                }
            }
        }
    }

    private static void Sample(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
            text.Append('{').Append(labels).Append('}');
        text.Append(' ').Append(Number(value)).Append('\n');
    }

    private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
            return "";
        var sorted = tags.ToArray();
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var text = new StringBuilder();
        foreach (var (key, value) in sorted)
        {
            if (text.Length > 0)
                text.Append(',');
            text.Append(Sanitize(key)).Append("=\"").Append(Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")).Append('"');
        }
        return text.ToString();
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Metric and label names allow <c>[a-zA-Z0-9_:]</c>; dotted .NET names become underscores.</summary>
    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '_' or ':'))
                chars[i] = '_';
        return new string(chars);
    }

    private static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Up to three tag key/value pairs, compared by value; more tags fall back to their label text.</summary>
    private readonly record struct TagKey(string? K0, string? V0, string? K1, string? V1, string? K2, string? V2, string? Rest)
    {
        public TagKey(ReadOnlySpan<KeyValuePair<string, object?>> tags)
            : this(Key(tags, 0), Value(tags, 0), Key(tags, 1), Value(tags, 1), Key(tags, 2), Value(tags, 2),
                tags.Length > 3 ? Labels(tags) : null)
        {
        }

        private static string? Key(ReadOnlySpan<KeyValuePair<string, object?>> tags, int i) => i < tags.Length ? tags[i].Key : null;

        private static string? Value(ReadOnlySpan<KeyValuePair<string, object?>> tags, int i) =>
            i < tags.Length ? tags[i].Value as string ?? Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) : null;
    }

    private sealed class Point(long[]? buckets)
    {
        public long[]? Buckets { get; } = buckets;
        public double Sum { get; set; }
        public long Count { get; set; }
    }
}
