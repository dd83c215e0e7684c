namespace Mote.Contracts;

/// <summary>The <c>error.type</c> values OpenAI uses, plus the gateway's own for upstream failures.</summary>
public static class ErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string Permission = "permission_error";
    public const string NotFound = "not_found_error";
    public const string RateLimit = "rate_limit_error";
    public const string Budget = "insufficient_quota";
    public const string Server = "server_error";
    public const string Upstream = "upstream_error";
    public const string Policy = "policy_error";
}
