namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>
/// The global functions a template can call: Jinja's <c>range</c>, <c>namespace</c> and <c>dict</c>, plus the two
/// transformers adds, <c>raise_exception(message)</c> and <c>strftime_now(format)</c>.
/// </summary>
internal static class Globals
{
    private const long MaxRange = 100_000;

    public static void Install(Scope scope, TimeProvider clock, Func<int> currentLine)
    {
        scope.Set("range", new Callable("range", Range));
        scope.Set("namespace", new Callable("namespace", arguments =>
        {
            var ns = new Namespace();
            foreach (var initial in arguments.Positional)
            {
                if (initial is PyDict dict)
                {
                    foreach (var (key, value) in dict)
                        ns.Attributes[PyValue.ToStr(key)] = value;
                }
            }
            foreach (var (name, value) in arguments.Keywords)
                ns.Attributes[name] = value;
            return ns;
        }));
        scope.Set("dict", new Callable("dict", arguments =>
        {
            var dict = new PyDict();
            foreach (var (name, value) in arguments.Keywords)
                dict[name] = value;
            return dict;
        }));
        scope.Set("raise_exception", new Callable("raise_exception", arguments =>
            throw new ChatTemplateRaisedException(PyValue.ToStr(arguments.Get(0, "message", "")), currentLine())));
        scope.Set("strftime_now", new Callable("strftime_now", arguments =>
            PyStrftime.Format(clock.GetLocalNow(), PyValue.ToStr(arguments.Required(0, "format", "strftime_now")))));
    }

    private static object? Range(CallArguments arguments)
    {
        var numbers = arguments.Positional.Select(PyValue.ToLong).ToArray();
        var (start, stop, step) = numbers.Length switch
        {
            1 => (0L, numbers[0], 1L),
            2 => (numbers[0], numbers[1], 1L),
            3 => (numbers[0], numbers[1], numbers[2]),
            _ => throw new ChatTemplateException("range() expects 1 to 3 integer arguments"),
        };
        if (step == 0)
            throw new ChatTemplateException("range() arg 3 must not be zero");
        var result = new List<object?>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            if (result.Count >= MaxRange)
                throw new ChatTemplateException($"range() is limited to {MaxRange} items");
            result.Add(i);
        }
        return result;
    }
}
