using System.Collections;

namespace Mote.Gguf;

/// <summary>
/// A GGUF array of strings held as the file holds it: every element's bytes in one buffer, with their offsets.
/// Vocabularies are the large ones (llama3's 128k tokens and 280k merges): as .NET strings each element would cost
/// about four times its bytes (an object header, UTF-16, an array slot), and the merges are read once at load and
/// never again. Elements decode on access as <see cref="GgufStrings"/> does (invalid UTF-8 kept losslessly), so
/// callers that keep them should read each once. Immutable.
/// </summary>
public sealed class GgufStringArray : IReadOnlyList<string>
{
    private readonly byte[] _bytes;
    private readonly int[] _starts; // element i is _bytes[_starts[i].._starts[i + 1]]

    private GgufStringArray(byte[] bytes, int[] starts)
    {
        _bytes = bytes;
        _starts = starts;
    }

    /// <summary>An empty array.</summary>
    public static GgufStringArray Empty { get; } = new([], [0]);

    public int Count => _starts.Length - 1;

    /// <summary>Element <paramref name="index"/>, decoded (a new string on every call).</summary>
    public string this[int index] => GgufStrings.Decode(Utf8(index));

    /// <summary>The stored bytes of element <paramref name="index"/>, without decoding.</summary>
    public ReadOnlySpan<byte> Utf8(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _bytes.AsSpan(_starts[index], _starts[index + 1] - _starts[index]);
    }

    /// <summary>Encodes <paramref name="values"/> (as a GGUF writer would; see <see cref="GgufStrings"/>).</summary>
    /// <exception cref="ArgumentException">An element is null, or the elements take more than 2 GB.</exception>
    public static GgufStringArray From(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var starts = new int[values.Count + 1];
        long total = 0;
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is null)
                throw new ArgumentException("A GGUF string array cannot hold null.", nameof(values));
            total += GgufStrings.GetByteCount(values[i]);
            if (total > Array.MaxLength)
                throw new ArgumentException("The strings take more than 2 GB.", nameof(values));
            starts[i + 1] = (int)total;
        }
        var bytes = new byte[total];
        for (var i = 0; i < values.Count; i++)
            GgufStrings.Encode(values[i], bytes.AsSpan(starts[i], starts[i + 1] - starts[i]));
        return new GgufStringArray(bytes, starts);
    }

    /// <summary>Every element decoded into a new array.</summary>
    public string[] ToArray()
    {
        var result = new string[Count];
        for (var i = 0; i < result.Length; i++)
            result[i] = this[i];
        return result;
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
            yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Builds an array from elements read one after another (the parser's use).</summary>
    internal sealed class Builder(int count, long totalBytes)
    {
        private readonly byte[] _bytes = totalBytes == 0 ? [] : new byte[totalBytes];
        private readonly int[] _starts = new int[count + 1];
        private int _count;

        public void Add(ReadOnlySpan<byte> element)
        {
            var start = _starts[_count];
            element.CopyTo(_bytes.AsSpan(start));
            _starts[++_count] = start + element.Length;
        }

        public GgufStringArray Build() =>
            _count == _starts.Length - 1 ? new GgufStringArray(_bytes, _starts) : throw new InvalidOperationException("Not every element was added.");
    }
}
