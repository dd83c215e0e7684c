namespace Mote.Engine.Hub;

/// <summary>A model could not be resolved or downloaded; <see cref="Kind"/> says why and the message says what to do.</summary>
public sealed class HubException : Exception
{
    public HubException()
    {
    }

    public HubException(string message)
        : base(message)
    {
    }

    public HubException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HubException(HubErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException) => Kind = kind;

    public HubErrorKind Kind { get; } = HubErrorKind.Protocol;
}
