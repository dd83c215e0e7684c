using Mote.Gateway.Configuration;

namespace Mote.Gateway.Providers;

/// <summary>
/// Creates providers of one <c>type</c> (<c>openai-compatible</c>, <c>anthropic</c>, <c>local</c>). Factories are
/// registered with <c>TryAddEnumerable</c> and chosen by <see cref="Type"/> from the configuration.
/// </summary>
internal interface IProviderFactory
{
    string Type { get; }

    /// <summary>The provider, or null with the reasons added to <paramref name="errors"/>.</summary>
    IProvider? Create(string name, ProviderConfig config, ICollection<string> errors);
}
