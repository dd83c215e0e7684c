using Mote.Contracts;

namespace Mote.Gateway;

/// <summary>A request the gateway answers with an error: the HTTP status and the OpenAI error object to send.</summary>
public sealed class GatewayException : Exception
{
    public GatewayException(int statusCode, ErrorResponse error, TimeSpan? retryAfter = null)
        : base(error.Error.Message)
    {
        StatusCode = statusCode;
        Error = error;
        RetryAfter = retryAfter;
    }

    public GatewayException()
        : this(500, ErrorResponse.Create("The gateway failed.", ErrorTypes.Server))
    {
    }

    public GatewayException(string message)
        : this(500, ErrorResponse.Create(message, ErrorTypes.Server))
    {
    }

    public GatewayException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = 500;
        Error = ErrorResponse.Create(message, ErrorTypes.Server);
    }

    public int StatusCode { get; }

    public ErrorResponse Error { get; }

    /// <summary>When the client should try again (sent as Retry-After).</summary>
    public TimeSpan? RetryAfter { get; }
}
