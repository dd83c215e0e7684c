namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>Something a template can call: a global function, a bound method (<c>'a b'.split</c>) or a macro.</summary>
internal sealed class Callable(string name, Func<CallArguments, object?> invoke)
{
    public string Name { get; } = name;

    public object? Invoke(CallArguments arguments) => invoke(arguments);
}

/// <summary>Evaluated call arguments: positional values then <c>name=value</c> keywords.</summary>
internal sealed class CallArguments(IReadOnlyList<object?> positional, IReadOnlyDictionary<string, object?> keywords)
{
    public static readonly CallArguments Empty = new([], new Dictionary<string, object?>());

    public IReadOnlyList<object?> Positional { get; } = positional;

    public IReadOnlyDictionary<string, object?> Keywords { get; } = keywords;

    /// <summary>The argument at a position, or given by name, or <paramref name="fallback"/>.</summary>
    public object? Get(int index, string name, object? fallback = null)
    {
        if (index < Positional.Count)
            return Positional[index];
        return Keywords.TryGetValue(name, out var value) ? value : fallback;
    }

    public bool Has(int index, string name) => index < Positional.Count || Keywords.ContainsKey(name);

    public object? Required(int index, string name, string function) =>
        Has(index, name) ? Get(index, name) : throw new ChatTemplateException($"{function}() missing required argument '{name}'");
}
