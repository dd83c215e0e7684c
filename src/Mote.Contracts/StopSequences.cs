using System.Text.Json.Serialization;

namespace Mote.Contracts;

/// <summary><c>stop</c>: one string or a list of strings. Written back in the form it was read.</summary>
[JsonConverter(typeof(StopSequencesConverter))]
public sealed class StopSequences : IEquatable<StopSequences>
{
    public StopSequences(IReadOnlyList<string> values, bool wasSingle = false)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = values;
        WasSingle = wasSingle && values.Count == 1;
    }

    public IReadOnlyList<string> Values { get; }

    /// <summary>True when the client sent a single string rather than a list.</summary>
    public bool WasSingle { get; }

    public bool Equals(StopSequences? other) => other is not null && Values.SequenceEqual(other.Values);

    public override bool Equals(object? obj) => Equals(obj as StopSequences);

    public override int GetHashCode() => Values.Count;
}
