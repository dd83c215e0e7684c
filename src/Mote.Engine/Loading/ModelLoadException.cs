namespace Mote.Engine.Loading;

/// <summary>A GGUF file parsed fine but does not describe a model Mote can run (the message says why and where).</summary>
public sealed class ModelLoadException : Exception
{
    public ModelLoadException() { }

    public ModelLoadException(string message) : base(message) { }

    public ModelLoadException(string message, Exception innerException) : base(message, innerException) { }
}
