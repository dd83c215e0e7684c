namespace Mote.Engine.Hub;

/// <summary>Why a hub operation failed, so callers can react (e.g. suggest <c>--model FILE</c> when offline).</summary>
public enum HubErrorKind
{
    /// <summary>The repository, revision or file does not exist (or is private).</summary>
    NotFound,

    /// <summary>The hub refused access: a gated or private repository needs <c>HF_TOKEN</c>.</summary>
    Unauthorized,

    /// <summary>The hub could not be reached at all (no network, DNS, refused, timed out).</summary>
    Unavailable,

    /// <summary>The transfer broke off and retries did not finish it; the partial file is kept for resuming.</summary>
    Interrupted,

    /// <summary>The downloaded bytes do not match the size or SHA-256 the hub reported; nothing was kept.</summary>
    Integrity,

    /// <summary>The hub answered something unexpected (an HTTP error or a malformed listing).</summary>
    Protocol,

    /// <summary>The repository has no GGUF file to pull.</summary>
    NoGguf,
}
