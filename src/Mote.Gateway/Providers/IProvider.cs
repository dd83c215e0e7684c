using System.Text.Json;

namespace Mote.Gateway.Providers;

/// <summary>A configured provider, able to create a client per model.</summary>
internal interface IProvider
{
    string Name { get; }

    /// <summary>True when calls stay on this machine (the local-only policy allows only these).</summary>
    bool IsLocal { get; }

    /// <summary>True when a trailing assistant message is continued rather than answered.</summary>
    bool SupportsPrefill { get; }

    /// <summary>Extra top-level request fields that turn prefill on.</summary>
    IReadOnlyDictionary<string, JsonElement> PrefillParameters { get; }

    /// <summary>The client for one model, or null with a reason added to <paramref name="errors"/>.</summary>
    IChatCompletionClient? CreateClient(string model, ICollection<string> errors);
}
