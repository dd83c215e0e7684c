using System.Collections.Frozen;
using System.Text.Json;

namespace Mote.Gateway.Providers;

/// <summary>
/// The built-in OpenAI-compatible profiles: one row per provider. Adding a provider that speaks the OpenAI API
/// is adding a row here (or writing the same fields in the configuration file), never an adapter.
/// </summary>
internal static class ProviderProfiles
{
    private static readonly JsonElement s_true = JsonDocument.Parse("true").RootElement.Clone();
    private static readonly JsonElement s_false = JsonDocument.Parse("false").RootElement.Clone();

    public static readonly FrozenDictionary<string, ProviderProfile> All = new ProviderProfile[]
    {
        new() { Name = "openai", BaseUrl = "https://api.openai.com/v1", ApiKeyEnv = "OPENAI_API_KEY", RequiresKey = true },
        new()
        {
            Name = "openrouter", BaseUrl = "https://openrouter.ai/api/v1", ApiKeyEnv = "OPENROUTER_API_KEY",
            RequiresKey = true, Prefill = true,
        },
        new()
        {
            // Groq rejects these parameters outright rather than ignoring them.
            Name = "groq", BaseUrl = "https://api.groq.com/openai/v1", ApiKeyEnv = "GROQ_API_KEY", RequiresKey = true,
            Drops = FrozenSet.Create("logprobs", "top_logprobs", "logit_bias"), Prefill = true,
        },
        new()
        {
            Name = "together", BaseUrl = "https://api.together.xyz/v1", ApiKeyEnv = "TOGETHER_API_KEY",
            RequiresKey = true,
        },
        new()
        {
            // vLLM continues a trailing assistant message only when told to, and then must not open a new turn.
            Name = "vllm", BaseUrl = "http://127.0.0.1:8000/v1", ApiKeyEnv = "VLLM_API_KEY", HealthPath = "/health",
            Prefill = true,
            PrefillParameters = new Dictionary<string, JsonElement>
            {
                ["continue_final_message"] = s_true,
                ["add_generation_prompt"] = s_false,
            }.ToFrozenDictionary(),
        },
        new()
        {
            // llama.cpp's server answers /health with 503 while the model loads and treats a final assistant
            // message as a prefix to continue.
            Name = "llama.cpp", BaseUrl = "http://127.0.0.1:8080/v1", ApiKeyEnv = "LLAMA_API_KEY",
            HealthPath = "/health", Prefill = true,
        },
        new()
        {
            Name = "ollama", BaseUrl = "http://127.0.0.1:11434/v1",
            Renames = new Dictionary<string, string> { ["max_completion_tokens"] = "max_tokens" }.ToFrozenDictionary(),
        },
        new() { Name = "lmstudio", BaseUrl = "http://127.0.0.1:1234/v1" },
    }.ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

    /// <summary>A keyless profile for a provider configured only by its base URL.</summary>
    public static ProviderProfile Generic(string baseUrl) => new() { Name = "generic", BaseUrl = baseUrl };
}
