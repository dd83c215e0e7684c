namespace Mote.Server.LocalModels.Json;

/// <summary>A <c>response_format</c> schema that is malformed or uses something constrained decoding cannot enforce.</summary>
internal sealed class JsonSchemaException : Exception
{
    public JsonSchemaException()
    {
    }

    public JsonSchemaException(string message)
        : base(message)
    {
    }

    public JsonSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
