using System.Collections.Frozen;

namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>Jinja's tests (<c>x is defined</c>, <c>x is string</c>, <c>role is equalto 'user'</c>, …), one entry each.</summary>
internal static class Tests
{
    private static readonly FrozenDictionary<string, Func<object?, CallArguments, bool>> s_tests =
        new Dictionary<string, Func<object?, CallArguments, bool>>(StringComparer.Ordinal)
        {
            ["defined"] = (v, _) => v is not Undefined,
            ["undefined"] = (v, _) => v is Undefined,
            ["none"] = (v, _) => v is null,
            ["boolean"] = (v, _) => v is bool,
            ["true"] = (v, _) => v is true,
            ["false"] = (v, _) => v is false,
            ["integer"] = (v, _) => v is long,
            ["float"] = (v, _) => v is double,
            ["number"] = (v, _) => PyValue.IsNumber(v),
            ["string"] = (v, _) => v is string,
            ["mapping"] = (v, _) => v is PyDict,
            // Python: anything with __iter__ (Jinja's Undefined included); "sequence" also needs len() and indexing.
            ["iterable"] = (v, _) => v is string or List<object?> or PyDict or Undefined,
            ["sequence"] = (v, _) => v is string or List<object?> or PyDict or Undefined,
            ["callable"] = (v, _) => v is Callable,
            ["sameas"] = (v, a) => SameAs(v, a.Required(0, "other", "sameas")),
            ["escaped"] = (_, _) => false,
            ["in"] = (v, a) => PyValue.Contains(a.Required(0, "seq", "in"), v),
            ["eq"] = (v, a) => PyValue.AreEqual(v, a.Required(0, "other", "eq")),
            ["ne"] = (v, a) => !PyValue.AreEqual(v, a.Required(0, "other", "ne")),
            ["gt"] = (v, a) => PyValue.Compare(v, a.Required(0, "other", "gt"), ">") > 0,
            ["ge"] = (v, a) => PyValue.Compare(v, a.Required(0, "other", "ge"), ">=") >= 0,
            ["lt"] = (v, a) => PyValue.Compare(v, a.Required(0, "other", "lt"), "<") < 0,
            ["le"] = (v, a) => PyValue.Compare(v, a.Required(0, "other", "le"), "<=") <= 0,
            ["odd"] = (v, _) => PyValue.ToLong(v) % 2 != 0,
            ["even"] = (v, _) => PyValue.ToLong(v) % 2 == 0,
            ["divisibleby"] = (v, a) => PyValue.ToLong(v) % PyValue.ToLong(a.Required(0, "num", "divisibleby")) == 0,
            ["lower"] = (v, _) => v is string s && s == s.ToLowerInvariant(),
            ["upper"] = (v, _) => v is string s && s == s.ToUpperInvariant(),
            ["filter"] = (v, _) => v is string name && Filters.Exists(name),
            ["test"] = (v, _) => v is string name && Exists(name),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> s_aliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["equalto"] = "eq",
        ["=="] = "eq",
        ["!="] = "ne",
        [">"] = "gt",
        ["greaterthan"] = "gt",
        [">="] = "ge",
        ["<"] = "lt",
        ["lessthan"] = "lt",
        ["<="] = "le",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static bool Exists(string name) => s_tests.ContainsKey(s_aliases.GetValueOrDefault(name, name));

    public static bool Apply(string name, object? value, CallArguments arguments)
    {
        if (!s_tests.TryGetValue(s_aliases.GetValueOrDefault(name, name), out var test))
            throw new ChatTemplateException($"no test named '{name}'");
        return test(value, arguments);
    }

    private static bool SameAs(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (bool x, bool y) => x == y,
        (long x, long y) => x == y && x is >= -5 and <= 256, // CPython's cached small ints
        _ => ReferenceEquals(a, b),
    };
}
