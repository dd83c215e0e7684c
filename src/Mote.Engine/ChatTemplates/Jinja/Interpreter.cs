using System.Text;

namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>
/// Renders a parsed template against variables. One instance per render; it holds the call depth and the line being
/// executed (for error messages). Statements are here; expression evaluation is in <c>Interpreter.Expressions.cs</c>.
/// </summary>
internal sealed partial class Interpreter
{
    private const int MaxCallDepth = 64;
    private const int MaxOutputChars = 64 * 1024 * 1024;
    private const long MaxLoopIterations = 1_000_000;

    private readonly TimeProvider _clock;
    private int _depth;
    private int _line;
    private long _iterations;

    public Interpreter(TimeProvider clock) => _clock = clock;

    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    public string Render(IReadOnlyList<Node> body, IEnumerable<KeyValuePair<string, object?>> variables)
    {
        var globals = new Scope(null);
        Globals.Install(globals, _clock, () => _line);
        var context = new Scope(globals);
        foreach (var (name, value) in variables)
            context.Set(name, value);
        var output = new StringBuilder();
        Execute(body, context, output);
        return output.ToString();
    }

    private Flow Execute(IReadOnlyList<Node> body, Scope scope, StringBuilder output)
    {
        foreach (var node in body)
        {
            var flow = ExecuteNode(node, scope, output);
            if (flow != Flow.Normal)
                return flow;
        }
        if (output.Length > MaxOutputChars)
            throw new ChatTemplateException($"rendered output exceeds {MaxOutputChars} characters");
        return Flow.Normal;
    }

    private Flow ExecuteNode(Node node, Scope scope, StringBuilder output)
    {
        _line = node.Line;
        try
        {
            switch (node)
            {
                case TextNode text:
                    output.Append(text.Text);
                    return Flow.Normal;
                case OutputNode value:
                    output.Append(PyValue.ToStr(Eval(value.Value, scope)));
                    return Flow.Normal;
                case IfNode conditional:
                    foreach (var branch in conditional.Branches)
                    {
                        if (PyValue.Truthy(Eval(branch.Condition, scope)))
                            return Execute(branch.Body, scope, output);
                    }
                    return conditional.Else is null ? Flow.Normal : Execute(conditional.Else, scope, output);
                case ForNode loop:
                    ExecuteFor(loop, scope, output);
                    return Flow.Normal;
                case SetNode set:
                    ExecuteSet(set, scope);
                    return Flow.Normal;
                case SetBlockNode setBlock:
                    scope.Set(setBlock.Name, ApplyFilters(setBlock.Filters, RenderBody(setBlock.Body, scope), scope));
                    return Flow.Normal;
                case MacroNode macro:
                    scope.Set(macro.Name, DefineMacro(macro, scope));
                    return Flow.Normal;
                case FilterBlockNode filterBlock:
                    output.Append(PyValue.ToStr(ApplyFilters(filterBlock.Filters, RenderBody(filterBlock.Body, scope), scope)));
                    return Flow.Normal;
                case BlockNode block:
                    return Execute(block.Body, scope, output);
                case BreakNode:
                    return Flow.Break;
                case ContinueNode:
                    return Flow.Continue;
                default:
                    throw new ChatTemplateException($"unknown node {node.GetType().Name}");
            }
        }
        catch (ChatTemplateException e) when (e.Line == 0)
        {
            throw e.AtLine(node.Line);
        }
    }

    private string RenderBody(IReadOnlyList<Node> body, Scope scope)
    {
        var output = new StringBuilder();
        Execute(body, scope, output);
        return output.ToString();
    }

    private object? ApplyFilters(IReadOnlyList<FilterExpr> filters, object? value, Scope scope)
    {
        foreach (var filter in filters)
            value = Filters.Apply(filter.Name, value, EvalArguments(filter.Arguments, scope));
        return value;
    }

    private void ExecuteFor(ForNode loop, Scope scope, StringBuilder output)
    {
        var items = PyValue.Iterate(Eval(loop.Iterable, scope));
        if (loop.Filter is not null)
        {
            var kept = new List<object?>();
            foreach (var item in items)
            {
                var filterScope = new Scope(scope);
                Bind(loop.Targets, item, filterScope);
                if (PyValue.Truthy(Eval(loop.Filter, filterScope)))
                    kept.Add(item);
            }
            items = kept;
        }

        if (items.Count == 0)
        {
            if (loop.Else is not null)
                Execute(loop.Else, scope, output);
            return;
        }
        for (var i = 0; i < items.Count; i++)
        {
            if (++_iterations > MaxLoopIterations)
                throw new ChatTemplateException($"the template ran more than {MaxLoopIterations} loop iterations");
            var iteration = new Scope(scope);
            Bind(loop.Targets, items[i], iteration);
            iteration.Set("loop", new LoopContext(items, i));
            if (Execute(loop.Body, iteration, output) == Flow.Break)
                break;
        }
    }

    private static void Bind(IReadOnlyList<string> targets, object? value, Scope scope)
    {
        if (targets.Count == 1)
        {
            scope.Set(targets[0], value);
            return;
        }
        var parts = PyValue.Iterate(value);
        if (parts.Count != targets.Count)
            throw new ChatTemplateException($"cannot unpack {parts.Count} values into {targets.Count} names ({string.Join(", ", targets)})");
        for (var i = 0; i < targets.Count; i++)
            scope.Set(targets[i], parts[i]);
    }

    private void ExecuteSet(SetNode set, Scope scope)
    {
        var value = Eval(set.Value, scope);
        if (set.Attribute is null)
        {
            Bind(set.Names, value, scope);
            return;
        }
        if (!scope.TryGet(set.Names[0], out var target) || target is not Namespace ns)
            throw new ChatTemplateException($"cannot assign attribute '{set.Attribute}' on '{set.Names[0]}': only namespace() objects accept attribute assignment");
        ns.Attributes[set.Attribute] = value;
    }

    // A macro call renders its body in a fresh scope over the one it was defined in and returns the text.
    private Callable DefineMacro(MacroNode macro, Scope definingScope) => new(macro.Name, arguments =>
    {
        if (++_depth > MaxCallDepth)
            throw new ChatTemplateException($"macro '{macro.Name}': calls nested deeper than {MaxCallDepth}");
        var callerLine = _line;
        try
        {
            var local = new Scope(definingScope);
            var parameters = macro.Parameters;
            for (var i = 0; i < parameters.Count; i++)
            {
                var parameter = parameters[i];
                object? value;
                if (i < arguments.Positional.Count)
                    value = arguments.Positional[i];
                else if (!arguments.Keywords.TryGetValue(parameter.Name, out value))
                    value = parameter.Default is null ? new Undefined(parameter.Name) : Eval(parameter.Default, local);
                local.Set(parameter.Name, value);
            }
            local.Set("varargs", arguments.Positional.Skip(parameters.Count).ToList());
            var extra = new PyDict();
            foreach (var (name, value) in arguments.Keywords)
            {
                if (!parameters.Any(p => p.Name == name))
                    extra[name] = value;
            }
            local.Set("kwargs", extra);
            return RenderBody(macro.Body, local);
        }
        finally
        {
            _depth--;
            _line = callerLine;
        }
    });
}
