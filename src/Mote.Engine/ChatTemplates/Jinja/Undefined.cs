namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>
/// Jinja's lenient <c>Undefined</c>: what a missing variable, key or attribute evaluates to. It is falsy, renders as
/// the empty string, iterates as empty and has length 0; attribute and item access on it stay undefined.
/// Arithmetic and calls on it fail, naming what was undefined.
/// </summary>
internal sealed class Undefined(string? name)
{
    public static readonly Undefined Anonymous = new(null);

    /// <summary>What was looked up, for error messages (e.g. <c>message.tool_calls</c>).</summary>
    public string? Name { get; } = name;

    public ChatTemplateException Fail() =>
        new(Name is null ? "a value is undefined" : $"'{Name}' is undefined");

    public override string ToString() => "";
}
