namespace Mote.Engine.ChatTemplates;

/// <summary>A chat template could not be parsed or rendered. <see cref="Line"/> says where, when known.</summary>
public class ChatTemplateException : Exception
{
    public ChatTemplateException()
    {
    }

    public ChatTemplateException(string message)
        : base(message)
    {
    }

    public ChatTemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ChatTemplateException(string message, int line, Exception? innerException = null)
        : base(message, innerException) => Line = line;

    /// <summary>The 1-based template source line the error was found at, or 0 when unknown.</summary>
    public int Line { get; }

    // The interpreter adds the line of the statement being executed to errors raised by helpers that do not know it.
    internal ChatTemplateException AtLine(int line) => new($"line {line}: {Message}", line, this);
}
