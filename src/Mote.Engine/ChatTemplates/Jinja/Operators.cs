namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>Python arithmetic on template values (<c>+ - * / // % **</c>), integer when both sides are integers.</summary>
internal static class Operators
{
    public static object? Binary(string op, object? a, object? b)
    {
        if (a is Undefined ua)
            throw ua.Fail();
        if (b is Undefined ub)
            throw ub.Fail();
        if (PyValue.IsNumber(a) && PyValue.IsNumber(b))
            return Numeric(op, a, b);
        switch (op)
        {
            case "+" when a is string s && b is string t:
                return s + t;
            case "+" when a is List<object?> x && b is List<object?> y:
                return new List<object?>(x.Concat(y));
            case "*" when a is string s && b is long or bool:
                return Repeat(s, PyValue.ToLong(b));
            case "*" when a is long or bool && b is string s:
                return Repeat(s, PyValue.ToLong(a));
            case "*" when a is List<object?> x && b is long or bool:
                return RepeatList(x, PyValue.ToLong(b));
        }
        if (op == "+" && a is string)
            throw new ChatTemplateException($"can only concatenate str (not \"{PyValue.TypeName(b)}\") to str");
        throw new ChatTemplateException($"unsupported operand type(s) for {op}: '{PyValue.TypeName(a)}' and '{PyValue.TypeName(b)}'");
    }

    public static object? Negate(object? value) => value switch
    {
        long l => (object)-l,
        double d => -d,
        bool b => b ? -1L : 0L,
        Undefined u => throw u.Fail(),
        _ => throw new ChatTemplateException($"bad operand type for unary -: '{PyValue.TypeName(value)}'"),
    };

    public static object? Plus(object? value) => value switch
    {
        long or double => value,
        bool b => b ? 1L : 0L,
        Undefined u => throw u.Fail(),
        _ => throw new ChatTemplateException($"bad operand type for unary +: '{PyValue.TypeName(value)}'"),
    };

    private static object? Numeric(string op, object? a, object? b)
    {
        var isFloat = a is double || b is double;
        if (op == "/")
        {
            var divisor = PyValue.ToDouble(b);
            return divisor == 0 ? throw new ChatTemplateException("division by zero") : PyValue.ToDouble(a) / divisor;
        }
        if (isFloat)
        {
            double x = PyValue.ToDouble(a), y = PyValue.ToDouble(b);
            return op switch
            {
                "+" => x + y,
                "-" => x - y,
                "*" => x * y,
                "//" => y == 0 ? throw new ChatTemplateException("float floor division by zero") : Math.Floor(x / y),
                "%" => y == 0 ? throw new ChatTemplateException("float modulo") : x - (y * Math.Floor(x / y)),
                "**" => Math.Pow(x, y),
                _ => throw new ChatTemplateException($"unknown operator {op}"),
            };
        }
        long i = PyValue.ToLong(a), j = PyValue.ToLong(b);
        try
        {
            return op switch
            {
                "+" => checked(i + j),
                "-" => checked(i - j),
                "*" => checked(i * j),
                "//" => j == 0 ? throw new ChatTemplateException("integer division or modulo by zero") : FloorDiv(i, j),
                "%" => j == 0 ? throw new ChatTemplateException("integer division or modulo by zero") : i - (j * FloorDiv(i, j)),
                "**" => j < 0 ? (object)Math.Pow(i, j) : IntPow(i, j),
                _ => throw new ChatTemplateException($"unknown operator {op}"),
            };
        }
        catch (OverflowException)
        {
            throw new ChatTemplateException($"integer overflow in {i} {op} {j}");
        }
    }

    private static long FloorDiv(long a, long b)
    {
        var q = a / b;
        return (a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q;
    }

    private static long IntPow(long x, long n)
    {
        long result = 1;
        while (n > 0)
        {
            if ((n & 1) != 0)
                result = checked(result * x);
            n >>= 1;
            if (n > 0)
                x = checked(x * x);
        }
        return result;
    }

    private static string Repeat(string s, long count) =>
        count <= 0 ? "" : count * s.Length > 10_000_000 ? throw new ChatTemplateException("string repetition too large") : string.Concat(Enumerable.Repeat(s, (int)count));

    private static List<object?> RepeatList(List<object?> list, long count)
    {
        var result = new List<object?>();
        for (var i = 0; i < count && result.Count < 10_000_000; i++)
            result.AddRange(list);
        return result;
    }
}
