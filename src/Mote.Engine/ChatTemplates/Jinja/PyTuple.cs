namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>
/// A Python tuple: behaves as a list everywhere except that it prints as <c>(a, b)</c> and never equals a list.
/// Tuple literals, <c>dict.items()</c> and the <c>items</c> filter produce them.
/// </summary>
internal sealed class PyTuple : List<object?>
{
    public PyTuple(IEnumerable<object?> items)
        : base(items)
    {
    }
}
