namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>
/// Recursive-descent parser from tokens to the AST, following Jinja2's grammar and operator precedence. This file
/// holds the statements (<c>{% … %}</c> tags); <c>Parser.Expressions.cs</c> holds the expression grammar.
/// </summary>
internal sealed partial class Parser
{
    // Deeper nesting than any real template gets is refused, so hostile input cannot exhaust the stack.
    private const int MaxNesting = 200;

    private readonly List<Token> _tokens;
    private int _pos;
    private int _nesting;

    private Parser(List<Token> tokens) => _tokens = tokens;

    public static IReadOnlyList<Node> Parse(string source)
    {
        var parser = new Parser(Lexer.Tokenize(source));
        return parser.ParseBody();
    }

    private Token Current => _tokens[_pos];

    private Token Peek(int offset) => _tokens[Math.Min(_pos + offset, _tokens.Count - 1)];

    private Token Next() => _tokens[_pos++];

    // Parses template content until a block tag named in endTags (left unconsumed) or the end of the template.
    private List<Node> ParseBody(params string[] endTags)
    {
        var nodes = new List<Node>();
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Text:
                    nodes.Add(new TextNode(token.Value, token.Line));
                    Next();
                    break;
                case TokenKind.VariableBegin:
                    Next();
                    var value = ParseTuple(withCondExpr: true);
                    Expect(TokenKind.VariableEnd, "'}}'");
                    nodes.Add(new OutputNode(value, token.Line));
                    break;
                case TokenKind.BlockBegin:
                    var tag = Peek(1);
                    if (tag.Kind == TokenKind.Name && endTags.Contains(tag.Value))
                        return nodes;
                    Next();
                    nodes.Add(ParseStatement(endTags));
                    break;
                case TokenKind.End:
                    if (endTags.Length > 0)
                        throw Error(token, $"unexpected end of template; expected '{{% {string.Join("' or '{% ", endTags)} %}}'");
                    return nodes;
                default:
                    throw Error(token, $"unexpected {token}");
            }
        }
    }

    private Node ParseStatement(string[] enclosingEndTags)
    {
        using var nesting = Nest();
        var tag = Current;
        if (tag.Kind != TokenKind.Name)
            throw Error(tag, $"expected a tag name after '{{%', got {tag}");
        switch (tag.Value)
        {
            case "if": return ParseIf();
            case "for": return ParseFor();
            case "set": return ParseSet();
            case "macro": return ParseMacro();
            case "filter": return ParseFilterBlock();
            case "generation": return ParseGeneration();
            case "break" or "continue":
                Next();
                ExpectBlockEnd();
                return tag.Value == "break" ? new BreakNode(tag.Line) : new ContinueNode(tag.Line);
        }
        if (tag.Value.StartsWith("end", StringComparison.Ordinal) || tag.Value is "else" or "elif")
        {
            var expected = enclosingEndTags.Length == 0 ? "no open block" : $"'{string.Join("' or '", enclosingEndTags)}'";
            throw Error(tag, $"unexpected '{{% {tag.Value} %}}' (expected {expected})");
        }
        throw Error(tag, $"unsupported tag '{{% {tag.Value} %}}'");
    }

    private IfNode ParseIf()
    {
        var line = Next().Line;
        var branches = new List<IfBranch>();
        IReadOnlyList<Node>? otherwise = null;
        var condition = ParseTuple(withCondExpr: true);
        ExpectBlockEnd();
        branches.Add(new IfBranch(condition, ParseBody("elif", "else", "endif")));
        while (true)
        {
            Next(); // {%
            var tag = Next();
            if (tag.Value == "elif")
            {
                condition = ParseTuple(withCondExpr: true);
                ExpectBlockEnd();
                branches.Add(new IfBranch(condition, ParseBody("elif", "else", "endif")));
            }
            else if (tag.Value == "else")
            {
                ExpectBlockEnd();
                otherwise = ParseBody("endif");
                ExpectEndTag("endif");
                break;
            }
            else
            {
                ExpectBlockEnd(); // endif
                break;
            }
        }
        return new IfNode(branches, otherwise, line);
    }

    private ForNode ParseFor()
    {
        var line = Next().Line;
        var targets = new List<string>();
        var parenthesized = Current.IsOperator("(");
        if (parenthesized)
            Next();
        do
        {
            if (targets.Count > 0)
                Next(); // ,
            targets.Add(ExpectName());
        }
        while (Current.IsOperator(","));
        if (parenthesized)
            ExpectOperator(")");
        if (!Current.IsName("in"))
            throw Error(Current, $"expected 'in' in for loop, got {Current}");
        Next();
        var iterable = ParseTuple(withCondExpr: false);
        Expr? filter = null;
        if (Current.IsName("if"))
        {
            Next();
            filter = ParseExpression();
        }
        if (Current.IsName("recursive"))
            throw Error(Current, "recursive for loops are not supported");
        ExpectBlockEnd();
        var body = ParseBody("endfor", "else");
        IReadOnlyList<Node>? otherwise = null;
        if (Peek(1).Value == "else")
        {
            Next();
            Next();
            ExpectBlockEnd();
            otherwise = ParseBody("endfor");
        }
        ExpectEndTag("endfor");
        return new ForNode(targets, iterable, filter, body, otherwise, line);
    }

    private Node ParseSet()
    {
        var line = Next().Line;
        var names = new List<string> { ExpectName() };
        string? attribute = null;
        if (Current.IsOperator("."))
        {
            Next();
            attribute = ExpectName();
        }
        while (Current.IsOperator(","))
        {
            Next();
            names.Add(ExpectName());
        }
        if (Current.IsOperator("="))
        {
            Next();
            var value = ParseTuple(withCondExpr: true);
            ExpectBlockEnd();
            return new SetNode(names, attribute, value, line);
        }
        if (names.Count != 1 || attribute is not null)
            throw Error(Current, "expected '=' in set statement");
        var filters = new List<FilterExpr>();
        while (Current.IsOperator("|"))
        {
            Next();
            filters.Add(ParseFilterCall(null));
        }
        ExpectBlockEnd();
        var body = ParseBody("endset");
        ExpectEndTag("endset");
        return new SetBlockNode(names[0], filters, body, line);
    }

    private MacroNode ParseMacro()
    {
        var line = Next().Line;
        var name = ExpectName();
        ExpectOperator("(");
        var parameters = new List<MacroParameter>();
        while (!Current.IsOperator(")"))
        {
            if (parameters.Count > 0)
                ExpectOperator(",");
            var parameter = ExpectName();
            Expr? fallback = null;
            if (Current.IsOperator("="))
            {
                Next();
                fallback = ParseExpression();
            }
            parameters.Add(new MacroParameter(parameter, fallback));
        }
        Next();
        ExpectBlockEnd();
        var body = ParseBody("endmacro");
        ExpectEndTag("endmacro");
        return new MacroNode(name, parameters, body, line);
    }

    private FilterBlockNode ParseFilterBlock()
    {
        var line = Next().Line;
        var filters = new List<FilterExpr> { ParseFilterCall(null) };
        while (Current.IsOperator("|"))
        {
            Next();
            filters.Add(ParseFilterCall(null));
        }
        ExpectBlockEnd();
        var body = ParseBody("endfilter");
        ExpectEndTag("endfilter");
        return new FilterBlockNode(filters, body, line);
    }

    private BlockNode ParseGeneration()
    {
        var line = Next().Line;
        ExpectBlockEnd();
        var body = ParseBody("endgeneration");
        ExpectEndTag("endgeneration");
        return new BlockNode(body, line);
    }

    // Consumes "{% name %}" for a closing tag the body loop stopped at.
    private void ExpectEndTag(string name)
    {
        Expect(TokenKind.BlockBegin, "'{%'");
        var tag = Next();
        if (!tag.IsName(name))
            throw Error(tag, $"expected '{{% {name} %}}', got {tag}");
        ExpectBlockEnd();
    }

    private void ExpectBlockEnd() => Expect(TokenKind.BlockEnd, "'%}'");

    private Token Expect(TokenKind kind, string what)
    {
        if (Current.Kind != kind)
            throw Error(Current, $"expected {what}, got {Current}");
        return Next();
    }

    private void ExpectOperator(string op)
    {
        if (!Current.IsOperator(op))
            throw Error(Current, $"expected '{op}', got {Current}");
        Next();
    }

    private string ExpectName()
    {
        if (Current.Kind != TokenKind.Name)
            throw Error(Current, $"expected a name, got {Current}");
        return Next().Value;
    }

    private NestingScope Nest()
    {
        if (++_nesting > MaxNesting)
            throw Error(Current, $"template nested deeper than {MaxNesting} levels");
        return new NestingScope(this);
    }

    private readonly struct NestingScope(Parser parser) : IDisposable
    {
        public void Dispose() => parser._nesting--;
    }

    private static ChatTemplateException Error(Token at, string message) => new($"line {at.Line}: {message}", at.Line);
}
