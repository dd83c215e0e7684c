using Mote.Contracts;

namespace Mote.Gateway;

/// <summary>A failed call to a provider, classified so that the gateway can decide what to do next.</summary>
public sealed class ProviderException : Exception
{
    public ProviderException(FailureKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public ProviderException()
        : this(FailureKind.ServerError, "The provider failed.")
    {
    }

    public ProviderException(string message)
        : this(FailureKind.ServerError, message)
    {
    }

    public ProviderException(string message, Exception innerException)
        : this(FailureKind.ServerError, message, innerException)
    {
    }

    public FailureKind Kind { get; }

    /// <summary>The upstream HTTP status, when there was one.</summary>
    public int? StatusCode { get; init; }

    /// <summary>How long the upstream asked us to wait (Retry-After).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The upstream's error object, relayed to the client for final errors.</summary>
    public ErrorResponse? UpstreamError { get; init; }
}
