namespace Mote.Engine.Generation;

/// <summary>Why generation ended.</summary>
public enum FinishReason
{
    /// <summary>The model produced an end-of-generation token or a stop string matched.</summary>
    Stop,

    /// <summary>The requested number of tokens was generated.</summary>
    Length,

    /// <summary>The session's context is full; a larger <c>--ctx</c> would allow more.</summary>
    ContextFull,

    /// <summary>The caller cancelled.</summary>
    Cancelled,
}
