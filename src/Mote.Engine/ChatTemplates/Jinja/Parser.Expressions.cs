using System.Globalization;

namespace Mote.Engine.ChatTemplates.Jinja;

// Expression grammar, lowest precedence first (as in Jinja2's parser):
//   tuple      := condexpr (',' condexpr)*
//   condexpr   := or ('if' or ['else' condexpr])*
//   or / and / not
//   compare    := math1 (('=='|'!='|'<'|'<='|'>'|'>='|'in'|'not in') math1)*
//   math1      := concat (('+'|'-') concat)*
//   concat     := math2 ('~' math2)*
//   math2      := pow (('*'|'/'|'//'|'%') pow)*
//   pow        := unary ('**' unary)*
//   unary      := ('-'|'+') unary | primary postfix* ; then filters/tests ('|' name, 'is' name, calls)
internal sealed partial class Parser
{
    private static readonly HashSet<string> s_compareOperators = ["==", "!=", "<", "<=", ">", ">="];

    private Expr ParseTuple(bool withCondExpr)
    {
        var line = Current.Line;
        var first = withCondExpr ? ParseExpression() : ParseOr();
        if (!Current.IsOperator(","))
            return first;
        var items = new List<Expr> { first };
        while (Current.IsOperator(","))
        {
            Next();
            if (Current.Kind is TokenKind.VariableEnd or TokenKind.BlockEnd || Current.IsOperator(")"))
                break;
            items.Add(withCondExpr ? ParseExpression() : ParseOr());
        }
        return new ListExpr(items, line, IsTuple: true);
    }

    private Expr ParseExpression()
    {
        using var nesting = Nest();
        var expr = ParseOr();
        while (Current.IsName("if"))
        {
            var line = Next().Line;
            var condition = ParseOr();
            Expr? otherwise = null;
            if (Current.IsName("else"))
            {
                Next();
                otherwise = ParseExpression();
            }
            expr = new CondExpr(condition, expr, otherwise, line);
        }
        return expr;
    }

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsName("or"))
        {
            var line = Next().Line;
            left = new BinaryExpr("or", left, ParseAnd(), line);
        }
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsName("and"))
        {
            var line = Next().Line;
            left = new BinaryExpr("and", left, ParseNot(), line);
        }
        return left;
    }

    private Expr ParseNot()
    {
        if (!Current.IsName("not"))
            return ParseCompare();
        var line = Next().Line;
        return new UnaryExpr("not", ParseNot(), line);
    }

    private Expr ParseCompare()
    {
        var line = Current.Line;
        var first = ParseMath1();
        var rest = new List<KeyValuePair<string, Expr>>();
        while (true)
        {
            string op;
            if (Current.Kind == TokenKind.Operator && s_compareOperators.Contains(Current.Value))
                op = Next().Value;
            else if (Current.IsName("in"))
                op = Next().Value;
            else if (Current.IsName("not") && Peek(1).IsName("in"))
            {
                Next();
                Next();
                op = "notin";
            }
            else
                break;
            rest.Add(new(op, ParseMath1()));
        }
        return rest.Count == 0 ? first : new CompareExpr(first, rest, line);
    }

    private Expr ParseMath1() => ParseBinary(ParseConcat, "+", "-");

    private Expr ParseConcat() => ParseBinary(ParseMath2, "~");

    private Expr ParseMath2() => ParseBinary(ParsePow, "*", "/", "//", "%");

    private Expr ParsePow() => ParseBinary(() => ParseUnary(withFilter: true), "**");

    private Expr ParseBinary(Func<Expr> operand, params string[] operators)
    {
        var left = operand();
        while (Current.Kind == TokenKind.Operator && operators.Contains(Current.Value))
        {
            var token = Next();
            left = new BinaryExpr(token.Value, left, operand(), token.Line);
        }
        return left;
    }

    private Expr ParseUnary(bool withFilter)
    {
        using var nesting = Nest();
        Expr node;
        if (Current.IsOperator("-") || Current.IsOperator("+"))
        {
            var token = Next();
            node = new UnaryExpr(token.Value, ParseUnary(withFilter: false), token.Line);
        }
        else
        {
            node = ParsePrimary();
        }
        node = ParsePostfix(node);
        return withFilter ? ParseFilterExpr(node) : node;
    }

    private Expr ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Name:
                Next();
                return token.Value switch
                {
                    "true" or "True" => new ConstExpr(true, token.Line),
                    "false" or "False" => new ConstExpr(false, token.Line),
                    "none" or "None" => new ConstExpr(null, token.Line),
                    _ => new NameExpr(token.Value, token.Line),
                };
            case TokenKind.String:
                var text = Next().Value;
                while (Current.Kind == TokenKind.String)
                    text += Next().Value; // adjacent literals concatenate
                return new ConstExpr(text, token.Line);
            case TokenKind.Integer:
                Next();
                if (!long.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var integer))
                    throw Error(token, $"integer literal {token.Value} is too large");
                return new ConstExpr(integer, token.Line);
            case TokenKind.Float:
                Next();
                return new ConstExpr(double.Parse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture), token.Line);
            case TokenKind.Operator when token.Value == "(":
                Next();
                if (Current.IsOperator(")"))
                {
                    Next();
                    return new ListExpr([], token.Line, IsTuple: true);
                }
                var inner = ParseTuple(withCondExpr: true);
                ExpectOperator(")");
                return inner;
            case TokenKind.Operator when token.Value == "[":
                Next();
                return new ListExpr(ParseSequence("]", ParseExpression), token.Line);
            case TokenKind.Operator when token.Value == "{":
                Next();
                return new DictExpr(ParseSequence("}", ParseDictPair), token.Line);
            default:
                throw Error(token, $"unexpected {token} in expression");
        }
    }

    private KeyValuePair<Expr, Expr> ParseDictPair()
    {
        var key = ParseExpression();
        ExpectOperator(":");
        return new(key, ParseExpression());
    }

    // Comma-separated items up to a closing bracket, a trailing comma allowed.
    private List<T> ParseSequence<T>(string close, Func<T> item)
    {
        var items = new List<T>();
        while (!Current.IsOperator(close))
        {
            if (items.Count > 0)
            {
                ExpectOperator(",");
                if (Current.IsOperator(close))
                    break;
            }
            items.Add(item());
        }
        Next();
        return items;
    }

    private Expr ParsePostfix(Expr node)
    {
        while (true)
        {
            if (Current.IsOperator("."))
            {
                var dot = Next();
                var member = Next();
                node = member.Kind switch
                {
                    TokenKind.Name => new AttrExpr(node, member.Value, dot.Line),
                    TokenKind.Integer => new ItemExpr(node, new ConstExpr(long.Parse(member.Value, CultureInfo.InvariantCulture), dot.Line), dot.Line),
                    _ => throw Error(member, $"expected an attribute name after '.', got {member}"),
                };
            }
            else if (Current.IsOperator("["))
                node = ParseSubscript(node);
            else if (Current.IsOperator("("))
                node = ParseCall(node);
            else
                return node;
        }
    }

    private Expr ParseFilterExpr(Expr node)
    {
        while (true)
        {
            if (Current.IsOperator("|"))
            {
                Next();
                node = ParseFilterCall(node);
            }
            else if (Current.IsName("is"))
                node = ParseTest(node);
            else if (Current.IsOperator("("))
                node = ParseCall(node);
            else
                return node;
        }
    }

    private Expr ParseSubscript(Expr target)
    {
        var line = Next().Line; // [
        Expr? start = null, stop = null, step = null;
        if (!Current.IsOperator(":"))
        {
            start = ParseTuple(withCondExpr: true);
            if (Current.IsOperator("]"))
            {
                Next();
                return new ItemExpr(target, start, line);
            }
        }
        ExpectOperator(":");
        if (!Current.IsOperator("]") && !Current.IsOperator(":"))
            stop = ParseExpression();
        if (Current.IsOperator(":"))
        {
            Next();
            if (!Current.IsOperator("]"))
                step = ParseExpression();
        }
        ExpectOperator("]");
        return new SliceExpr(target, start, stop, step, line);
    }

    private CallExpr ParseCall(Expr callee)
    {
        var line = Next().Line; // (
        return new CallExpr(callee, ParseArguments(), line);
    }

    // Call arguments after '(' up to and including ')': positional first, then name=value.
    private Arguments ParseArguments()
    {
        var positional = new List<Expr>();
        var keywords = new List<KeyValuePair<string, Expr>>();
        while (!Current.IsOperator(")"))
        {
            if (positional.Count + keywords.Count > 0)
            {
                ExpectOperator(",");
                if (Current.IsOperator(")"))
                    break;
            }
            if (Current.IsOperator("*") || Current.IsOperator("**"))
                throw Error(Current, "*args and **kwargs in calls are not supported");
            if (Current.Kind == TokenKind.Name && Peek(1).IsOperator("="))
            {
                var name = Next().Value;
                Next();
                keywords.Add(new(name, ParseExpression()));
            }
            else
            {
                positional.Add(ParseExpression());
            }
        }
        Next();
        return new Arguments(positional, keywords);
    }

    private FilterExpr ParseFilterCall(Expr? value)
    {
        var line = Current.Line;
        var name = ParseDottedName();
        var arguments = Arguments.None;
        if (Current.IsOperator("("))
        {
            Next();
            arguments = ParseArguments();
        }
        return new FilterExpr(value, name, arguments, line);
    }

    private TestExpr ParseTest(Expr value)
    {
        var line = Next().Line; // is
        var negated = false;
        if (Current.IsName("not"))
        {
            Next();
            negated = true;
        }
        var name = ParseDottedName();
        var arguments = Arguments.None;
        if (Current.IsOperator("("))
        {
            Next();
            arguments = ParseArguments();
        }
        else if (StartsTestArgument(Current))
        {
            // "x is divisibleby 3", "role is equalto 'user'": one argument without parentheses.
            arguments = new Arguments([ParsePostfix(ParsePrimary())], []);
        }
        return new TestExpr(value, name, arguments, negated, line);
    }

    private static bool StartsTestArgument(Token token) =>
        token.Kind switch
        {
            TokenKind.Name => token.Value is not ("else" or "or" or "and" or "if" or "is" or "in" or "not"),
            TokenKind.String or TokenKind.Integer or TokenKind.Float => true,
            TokenKind.Operator => token.Value is "[" or "{",
            _ => false,
        };

    private string ParseDottedName()
    {
        var name = ExpectName();
        while (Current.IsOperator(".") && Peek(1).Kind == TokenKind.Name)
        {
            Next();
            name += "." + Next().Value;
        }
        return name;
    }
}
