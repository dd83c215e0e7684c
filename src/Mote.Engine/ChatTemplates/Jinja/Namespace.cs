namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>The object <c>namespace(...)</c> returns: the one thing a template may assign attributes on.</summary>
internal sealed class Namespace
{
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}
