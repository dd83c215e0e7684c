namespace Mote.Contracts;

/// <summary>The OpenAI error envelope: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public sealed record ErrorResponse
{
    public ErrorDetail Error { get; set; } = new();

    public static ErrorResponse Create(string message, string type, string? code = null, string? param = null) =>
        new() { Error = new ErrorDetail { Message = message, Type = type, Code = code, Param = param } };
}
