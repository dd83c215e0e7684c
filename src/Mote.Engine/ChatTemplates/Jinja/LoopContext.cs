namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>The <c>loop</c> variable inside a for loop (<c>loop.index</c>, <c>loop.first</c>, <c>loop.last</c>, …).</summary>
internal sealed class LoopContext(IReadOnlyList<object?> items, int index)
{
    public object? GetAttribute(string name) => name switch
    {
        "index" => (long)index + 1,
        "index0" => (long)index,
        "revindex" => (long)(items.Count - index),
        "revindex0" => (long)(items.Count - index - 1),
        "first" => index == 0,
        "last" => index == items.Count - 1,
        "length" => (long)items.Count,
        "depth" => 1L,
        "depth0" => 0L,
        "previtem" => index > 0 ? items[index - 1] : new Undefined("loop.previtem"),
        "nextitem" => index + 1 < items.Count ? items[index + 1] : new Undefined("loop.nextitem"),
        "cycle" => new Callable("loop.cycle", args =>
            args.Positional.Count == 0 ? throw new ChatTemplateException("loop.cycle() needs at least one argument")
                                       : args.Positional[index % args.Positional.Count]),
        _ => new Undefined("loop." + name),
    };
}
