namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>
/// Variables visible at one point of a render. Lookups walk outwards; <c>set</c> writes to the innermost scope.
/// Jinja gives each for-loop iteration and each macro call a fresh scope (so a <c>set</c> inside a loop does not
/// survive it, which is why templates use <c>namespace()</c>), while <c>if</c> blocks share their parent's.
/// </summary>
internal sealed class Scope(Scope? parent)
{
    private readonly Dictionary<string, object?> _variables = new(StringComparer.Ordinal);

    public Scope? Parent { get; } = parent;

    public bool TryGet(string name, out object? value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._variables.TryGetValue(name, out value))
                return true;
        }
        value = null;
        return false;
    }

    public void Set(string name, object? value) => _variables[name] = value;
}
