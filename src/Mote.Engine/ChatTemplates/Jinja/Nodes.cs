namespace Mote.Engine.ChatTemplates.Jinja;

// The template AST: statements (what a body is made of) and expressions. Every node keeps its source line for errors.

internal abstract record Node(int Line);

internal sealed record TextNode(string Text, int Line) : Node(Line);

/// <summary><c>{{ value }}</c>.</summary>
internal sealed record OutputNode(Expr Value, int Line) : Node(Line);

internal sealed record IfBranch(Expr Condition, IReadOnlyList<Node> Body);

/// <summary><c>{% if %}…{% elif %}…{% else %}…{% endif %}</c>.</summary>
internal sealed record IfNode(IReadOnlyList<IfBranch> Branches, IReadOnlyList<Node>? Else, int Line) : Node(Line);

/// <summary><c>{% for a, b in iterable if filter %}…{% else %}…{% endfor %}</c>.</summary>
internal sealed record ForNode(IReadOnlyList<string> Targets, Expr Iterable, Expr? Filter, IReadOnlyList<Node> Body, IReadOnlyList<Node>? Else, int Line)
    : Node(Line);

/// <summary><c>{% set a = v %}</c>, <c>{% set a, b = v %}</c> or <c>{% set ns.attr = v %}</c> (then <see cref="Attribute"/> is set).</summary>
internal sealed record SetNode(IReadOnlyList<string> Names, string? Attribute, Expr Value, int Line) : Node(Line);

/// <summary><c>{% set name %}body{% endset %}</c>, optionally filtered: <c>{% set name | trim %}</c>.</summary>
internal sealed record SetBlockNode(string Name, IReadOnlyList<FilterExpr> Filters, IReadOnlyList<Node> Body, int Line) : Node(Line);

internal sealed record MacroParameter(string Name, Expr? Default);

/// <summary><c>{% macro name(a, b=1) %}…{% endmacro %}</c>.</summary>
internal sealed record MacroNode(string Name, IReadOnlyList<MacroParameter> Parameters, IReadOnlyList<Node> Body, int Line) : Node(Line);

/// <summary><c>{% filter upper %}…{% endfilter %}</c>; the filters' input is the rendered body.</summary>
internal sealed record FilterBlockNode(IReadOnlyList<FilterExpr> Filters, IReadOnlyList<Node> Body, int Line) : Node(Line);

/// <summary>A body rendered as is: <c>{% generation %}</c> (transformers' assistant-mask marker).</summary>
internal sealed record BlockNode(IReadOnlyList<Node> Body, int Line) : Node(Line);

internal sealed record BreakNode(int Line) : Node(Line);

internal sealed record ContinueNode(int Line) : Node(Line);

internal abstract record Expr(int Line);

internal sealed record Arguments(IReadOnlyList<Expr> Positional, IReadOnlyList<KeyValuePair<string, Expr>> Keywords)
{
    public static readonly Arguments None = new([], []);
}

internal sealed record ConstExpr(object? Value, int Line) : Expr(Line);

internal sealed record NameExpr(string Name, int Line) : Expr(Line);

/// <summary>A list literal <c>[a, b]</c>, or a tuple <c>(a, b)</c> / <c>a, b</c> when <see cref="IsTuple"/>.</summary>
internal sealed record ListExpr(IReadOnlyList<Expr> Items, int Line, bool IsTuple = false) : Expr(Line);

internal sealed record DictExpr(IReadOnlyList<KeyValuePair<Expr, Expr>> Pairs, int Line) : Expr(Line);

/// <summary><c>target.name</c>.</summary>
internal sealed record AttrExpr(Expr Target, string Name, int Line) : Expr(Line);

/// <summary><c>target[key]</c>.</summary>
internal sealed record ItemExpr(Expr Target, Expr Key, int Line) : Expr(Line);

/// <summary><c>target[start:stop:step]</c>.</summary>
internal sealed record SliceExpr(Expr Target, Expr? Start, Expr? Stop, Expr? Step, int Line) : Expr(Line);

internal sealed record CallExpr(Expr Callee, Arguments Arguments, int Line) : Expr(Line);

/// <summary><c>value | name(args)</c>.</summary>
internal sealed record FilterExpr(Expr? Value, string Name, Arguments Arguments, int Line) : Expr(Line);

/// <summary><c>value is [not] name(args)</c>.</summary>
internal sealed record TestExpr(Expr Value, string Name, Arguments Arguments, bool Negated, int Line) : Expr(Line);

/// <summary><c>-x</c>, <c>+x</c>, <c>not x</c>.</summary>
internal sealed record UnaryExpr(string Operator, Expr Operand, int Line) : Expr(Line);

/// <summary>Arithmetic, <c>~</c>, <c>and</c>, <c>or</c>.</summary>
internal sealed record BinaryExpr(string Operator, Expr Left, Expr Right, int Line) : Expr(Line);

/// <summary>A comparison chain: <c>a &lt; b &lt;= c</c>, <c>x in y</c>, <c>x not in y</c> (operator "notin").</summary>
internal sealed record CompareExpr(Expr First, IReadOnlyList<KeyValuePair<string, Expr>> Rest, int Line) : Expr(Line);

/// <summary><c>then if condition else otherwise</c>; without <c>else</c> the result is undefined when false.</summary>
internal sealed record CondExpr(Expr Condition, Expr Then, Expr? Else, int Line) : Expr(Line);
