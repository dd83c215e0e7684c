namespace Mote.Gateway.Configuration;

/// <summary>An invalid configuration: which file, and every problem found in it.</summary>
public sealed class GatewayConfigException : Exception
{
    public GatewayConfigException(string source, IReadOnlyList<string> errors)
        : base($"Invalid gateway configuration {source}:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", errors)}")
    {
        Source = source;
        Errors = errors;
    }

    public GatewayConfigException()
        : this("configuration", ["invalid"])
    {
    }

    public GatewayConfigException(string message)
        : this("configuration", [message])
    {
    }

    public GatewayConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
        Source = "configuration";
        Errors = [message];
    }

    /// <summary>The file (or description) the configuration came from.</summary>
    public new string Source { get; }

    public IReadOnlyList<string> Errors { get; }
}
