namespace Mote.Engine.ChatTemplates.Jinja;

/// <summary>What a lexed piece of template source is.</summary>
internal enum TokenKind
{
    Text,
    VariableBegin,
    VariableEnd,
    BlockBegin,
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    Operator,
    End,
}

/// <summary>
/// One token: template text, a tag delimiter, or a piece of an expression. <see cref="Value"/> holds the text
/// (already unescaped for strings, already whitespace-controlled for template text).
/// </summary>
internal readonly record struct Token(TokenKind Kind, string Value, int Line)
{
    public bool Is(TokenKind kind, string value) => Kind == kind && Value == value;

    public bool IsName(string name) => Kind == TokenKind.Name && Value == name;

    public bool IsOperator(string op) => Kind == TokenKind.Operator && Value == op;

    public override string ToString() => Kind switch
    {
        TokenKind.End => "end of template",
        TokenKind.Text => "template text",
        TokenKind.String => $"string '{Value}'",
        _ => $"'{Value}'",
    };
}
