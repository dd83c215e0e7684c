namespace Mote.Engine.Runtime;

/// <summary>More tokens were fed to a session than its context holds. Nothing is truncated silently.</summary>
public sealed class ContextOverflowException : Exception
{
    public ContextOverflowException() { }

    public ContextOverflowException(string message) : base(message) { }

    public ContextOverflowException(string message, Exception innerException) : base(message, innerException) { }

    public ContextOverflowException(int contextLength, int required, int trainedContext)
        : base($"The context holds {contextLength} tokens but {required} are needed" +
               (contextLength < trainedContext ? $" (the model supports up to {trainedContext}: raise --ctx)." : " (the model's maximum)."))
    {
        ContextLength = contextLength;
        Required = required;
    }

    public int ContextLength { get; }

    public int Required { get; }
}
