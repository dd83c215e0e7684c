namespace Mote.Contracts;

/// <summary>The function named by a tool call and its arguments as a JSON string.</summary>
public sealed record FunctionCall
{
    public string? Name { get; set; }

    public string? Arguments { get; set; }
}
