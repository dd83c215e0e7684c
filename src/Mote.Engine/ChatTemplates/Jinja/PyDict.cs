namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>
/// A Python <c>dict</c>: insertion-ordered, keyed by value equality the way Python hashes keys
/// (<c>1</c>, <c>1.0</c> and <c>True</c> are the same key). Keys are strings in practice (JSON objects, literals).
/// </summary>
internal sealed class PyDict : OrderedDictionary<object, object?>
{
    public PyDict()
        : base(KeyComparer.Instance)
    {
    }

    public object? GetOrUndefined(object? key, string? describe = null)
    {
        if (key is not null && TryGetValue(key, out var value))
            return value;
        return new Undefined(describe ?? PyValue.ToStr(key));
    }

    private sealed class KeyComparer : IEqualityComparer<object>
    {
        public static readonly KeyComparer Instance = new();

        public new bool Equals(object? x, object? y) => PyValue.AreEqual(x, y);

        public int GetHashCode(object obj) => obj switch
        {
            string s => StringComparer.Ordinal.GetHashCode(s),
            bool b => b ? 1 : 0,
            long l => l.GetHashCode(),
            double d when d == Math.Floor(d) && Math.Abs(d) < 9.2e18 => ((long)d).GetHashCode(),
            double d => d.GetHashCode(),
            _ => obj.GetHashCode(),
        };
    }
}
