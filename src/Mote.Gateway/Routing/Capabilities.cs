using System.Collections.Frozen;

namespace Mote.Gateway.Routing;

/// <summary>The capability names a deployment may list.</summary>
internal static class Capabilities
{
    public const string Tools = "tools";
    public const string Json = "json";
    public const string Logprobs = "logprobs";
    public const string Prefill = "prefill";
    public const string Vision = "vision";

    public static readonly FrozenSet<string> Known =
        FrozenSet.Create(StringComparer.OrdinalIgnoreCase, Tools, Json, Logprobs, Prefill, Vision);
}
