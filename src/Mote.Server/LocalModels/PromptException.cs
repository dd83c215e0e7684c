namespace Mote.Server.LocalModels;

/// <summary>A request whose prompt cannot be built (bad content, refused by the chat template); answered with 400.</summary>
internal sealed class PromptException : Exception
{
    public PromptException()
    {
    }

    public PromptException(string message)
        : base(message)
    {
    }

    public PromptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PromptException(string message, string param)
        : base(message) => Param = param;

    public string? Param { get; }
}
