namespace Mote.Engine.ChatTemplates.Jinja;

internal sealed partial class Interpreter
{
    private object? Eval(Expr expr, Scope scope) => expr switch
    {
        ConstExpr constant => constant.Value,
        NameExpr name => scope.TryGet(name.Name, out var value) ? value : new Undefined(name.Name),
        ListExpr list => list.IsTuple
            ? new PyTuple(list.Items.Select(item => Eval(item, scope)))
            : list.Items.Select(item => Eval(item, scope)).ToList(),
        DictExpr dict => EvalDict(dict, scope),
        AttrExpr attr => Members.GetAttribute(Eval(attr.Target, scope), attr.Name),
        ItemExpr item => Members.GetItem(Eval(item.Target, scope), Eval(item.Key, scope)),
        SliceExpr slice => Members.Slice(Eval(slice.Target, scope), EvalOptional(slice.Start, scope),
            EvalOptional(slice.Stop, scope), EvalOptional(slice.Step, scope)),
        CallExpr call => EvalCall(call, scope),
        FilterExpr filter => Filters.Apply(filter.Name, EvalOptional(filter.Value, scope), EvalArguments(filter.Arguments, scope)),
        TestExpr test => Tests.Apply(test.Name, Eval(test.Value, scope), EvalArguments(test.Arguments, scope)) != test.Negated,
        UnaryExpr unary => unary.Operator switch
        {
            "not" => !PyValue.Truthy(Eval(unary.Operand, scope)),
            "-" => Operators.Negate(Eval(unary.Operand, scope)),
            _ => Operators.Plus(Eval(unary.Operand, scope)),
        },
        BinaryExpr binary => EvalBinary(binary, scope),
        CompareExpr compare => EvalCompare(compare, scope),
        CondExpr conditional => PyValue.Truthy(Eval(conditional.Condition, scope))
            ? Eval(conditional.Then, scope)
            : conditional.Else is null ? Undefined.Anonymous : Eval(conditional.Else, scope),
        _ => throw new ChatTemplateException($"unknown expression {expr.GetType().Name}"),
    };

    private object? EvalOptional(Expr? expr, Scope scope) => expr is null ? null : Eval(expr, scope);

    private PyDict EvalDict(DictExpr dict, Scope scope)
    {
        var result = new PyDict();
        foreach (var (key, value) in dict.Pairs)
        {
            var k = Eval(key, scope);
            if (k is null or Undefined or List<object?> or PyDict)
                throw new ChatTemplateException($"unhashable dict key of type '{PyValue.TypeName(k)}'");
            result[k] = Eval(value, scope);
        }
        return result;
    }

    private CallArguments EvalArguments(Arguments arguments, Scope scope)
    {
        if (arguments.Positional.Count == 0 && arguments.Keywords.Count == 0)
            return CallArguments.Empty;
        var positional = arguments.Positional.Select(a => Eval(a, scope)).ToList();
        var keywords = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments.Keywords)
            keywords[name] = Eval(value, scope);
        return new CallArguments(positional, keywords);
    }

    private object? EvalCall(CallExpr call, Scope scope)
    {
        var callee = Eval(call.Callee, scope);
        var arguments = EvalArguments(call.Arguments, scope);
        return callee switch
        {
            Callable function => function.Invoke(arguments),
            Undefined undefined => throw undefined.Fail(),
            _ => throw new ChatTemplateException($"'{PyValue.TypeName(callee)}' object is not callable"),
        };
    }

    private object? EvalBinary(BinaryExpr binary, Scope scope)
    {
        var left = Eval(binary.Left, scope);
        switch (binary.Operator)
        {
            case "and":
                return PyValue.Truthy(left) ? Eval(binary.Right, scope) : left;
            case "or":
                return PyValue.Truthy(left) ? left : Eval(binary.Right, scope);
            case "~":
                return PyValue.ToStr(left) + PyValue.ToStr(Eval(binary.Right, scope));
            default:
                return Operators.Binary(binary.Operator, left, Eval(binary.Right, scope));
        }
    }

    private bool EvalCompare(CompareExpr compare, Scope scope)
    {
        var left = Eval(compare.First, scope);
        foreach (var (op, rightExpr) in compare.Rest)
        {
            var right = Eval(rightExpr, scope);
            var holds = op switch
            {
                "==" => PyValue.AreEqual(left, right),
                "!=" => !PyValue.AreEqual(left, right),
                "<" => PyValue.Compare(left, right, op) < 0,
                "<=" => PyValue.Compare(left, right, op) <= 0,
                ">" => PyValue.Compare(left, right, op) > 0,
                ">=" => PyValue.Compare(left, right, op) >= 0,
                "in" => PyValue.Contains(right, left),
                _ => !PyValue.Contains(right, left), // "notin"
            };
            if (!holds)
                return false;
            left = right;
        }
        return true;
    }
}
