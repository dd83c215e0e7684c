using Microsoft.Extensions.DependencyInjection;
using Mote.Contracts;
using Mote.Gateway.Configuration;
using Mote.Gateway.Routing;

namespace Mote.Gateway.Tests.Configuration;

public sealed class CompilerTests
{
    private static GatewayRuntime Compile(string yaml, ILocalModelCatalog? catalog = null)
    {
        var services = new ServiceCollection().AddLogging();
        if (catalog is not null)
            services.AddSingleton(catalog);
        services.AddMoteGateway(_ => { });
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<GatewayCompiler>().Compile(GatewayConfigLoader.Parse(yaml, yaml: true), "test.yaml", Path.GetTempPath());
    }

    private static IReadOnlyList<string> Errors(string yaml) =>
        Assert.Throws<GatewayConfigException>(() => Compile(yaml)).Errors;

    [Fact]
    public void Compile_ValidConfiguration_BuildsRoutesOverDecoratedDeployments()
    {
        var runtime = Compile("""
            providers:
              box: { type: openai-compatible, base_url: "http://127.0.0.1:9/v1" }
            deployments:
              a: { provider: box, model: m1, context_length: 4096 }
              b: { provider: box, model: m2 }
            routes:
              chat: { fallback: [a, { balance: [a, b], policy: least-busy }] }
            """);

        var route = runtime.Routes["chat"];
        Assert.IsType<FallbackNode>(route.Target);
        Assert.Equal(["a", "b"], route.Deployments.Select(d => d.Name).Distinct());
        Assert.True(runtime.Deployments["a"].IsLocal); // a loopback base URL stays on the machine
        Assert.Equal(4096, runtime.Deployments["a"].ContextLength);
        Assert.Null(runtime.Resolve("box/m9")); // direct addressing is off unless allowed
    }

    [Fact]
    public void Compile_ReportsEveryProblemWithItsPath()
    {
        var errors = Errors("""
            providers:
              box: { type: openai-compatible, base_url: "not a url" }
              odd: { type: carrier-pigeon }
              cloud: { type: openai-compatible, profile: openai, api_key_env: MOTE_TEST_SURELY_UNSET_VARIABLE }
            deployments:
              a: { provider: nowhere, model: m }
              b: { provider: box, model: "", input_price: -1, capabilities: [telepathy] }
            routes:
              r1: { fallback: [] }
              r2: { deployment: a, fallback: [a] }
              r3: { balance: [{ deployment: a, weight: 0 }] }
              r4: { fallback: [{ cascade: { tiers: [a, a] } }] }
              r5: { cascade: { tiers: [a] } }
            """);

        Assert.Contains(errors, e => e.StartsWith("providers.box: base_url 'not a url'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("providers.odd.type: unknown provider type 'carrier-pigeon'", StringComparison.Ordinal));
        Assert.Contains("providers.cloud: environment variable MOTE_TEST_SURELY_UNSET_VARIABLE (api_key_env) is not set.", errors);
        Assert.Contains("deployments.a: provider 'nowhere' is not defined under 'providers'.", errors);
        Assert.Contains("deployments.b: 'model' is required.", errors);
        Assert.Contains(errors, e => e.StartsWith("deployments.b: prices must be non-negative", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("deployments.b: unknown capability 'telepathy'", StringComparison.Ordinal));
        Assert.Contains("routes.r1.fallback: must list at least one target.", errors);
        Assert.Contains(errors, e => e.StartsWith("routes.r2: has more than one of", StringComparison.Ordinal));
        Assert.Contains("routes.r3.balance[0].weight: must be a positive number.", errors);
        Assert.Contains("routes.r4.fallback[0].cascade: a cascade must be the whole route, not nested inside another node.", errors);
        Assert.Contains("routes.r5.cascade.tiers: a cascade needs at least two tiers.", errors);
    }

    [Fact]
    public void Compile_UnknownProfile_ListsTheKnownOnes()
    {
        var errors = Errors("""
            providers:
              x: { type: openai-compatible, profile: skynet }
            """);

        Assert.Contains(errors, e => e.Contains("unknown profile 'skynet'", StringComparison.Ordinal) && e.Contains("llama.cpp", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_LocalDeploymentWithoutCatalog_IsAnError()
    {
        var errors = Errors("""
            providers:
              here: { type: local }
            deployments:
              tiny: { provider: here, model: tiny.gguf }
            """);

        Assert.Contains(errors, e => e.StartsWith("deployments.tiny: model 'tiny.gguf' uses local provider 'here', but this server has no local model engine", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_LocalDeploymentWithCatalog_ResolvesTheEngineClient()
    {
        var catalog = new OneModelCatalog();

        var runtime = Compile("""
            providers:
              here: { type: local }
            deployments:
              tiny: { provider: here, model: tiny.gguf }
            routes:
              tiny: tiny
            """, catalog);

        Assert.True(runtime.Deployments["tiny"].IsLocal);
        Assert.True(runtime.Deployments["tiny"].SupportsPrefill);
    }

    [Fact]
    public void Compile_KeysSection_IsValidated()
    {
        var errors = Errors("""
            routes: {}
            keys:
              master_key_env: MOTE_TEST_SURELY_UNSET_MASTER
              virtual:
                - { name: a, key_sha256: "abc" }
                - { name: a, key_env: MOTE_TEST_SURELY_UNSET_KEY, key_sha256: "0000000000000000000000000000000000000000000000000000000000000000" }
                - { name: c, key_sha256: "0000000000000000000000000000000000000000000000000000000000000000", budget_period: hourly, models: [nope] }
            """);

        Assert.Contains("keys.master_key_env: environment variable MOTE_TEST_SURELY_UNSET_MASTER is not set.", errors);
        Assert.Contains("keys.virtual[0].key_sha256: must be 64 hexadecimal digits.", errors);
        Assert.Contains("keys.virtual[1].name: 'a' is declared twice.", errors);
        Assert.Contains("keys.virtual[1]: give exactly one of 'key_env' and 'key_sha256'.", errors);
        Assert.Contains(errors, e => e.StartsWith("keys.virtual[2].budget_period: 'hourly'", StringComparison.Ordinal));
        Assert.Contains("keys.virtual[2].models: 'nope' is not a route.", errors);
    }

    [Fact]
    public void Compile_ProfileDropsAndRenames_AreMergedWithTheConfiguration()
    {
        var runtime = Compile("""
            providers:
              groq: { type: openai-compatible, profile: groq, base_url: "http://127.0.0.1:9/v1", api_key_env: PATH, drops: [seed], renames: { max_completion_tokens: max_tokens } }
            deployments:
              g: { provider: groq, model: llama }
            routes:
              g: g
            """);

        Assert.Equal("groq", runtime.Providers["groq"].Name);
        Assert.True(runtime.Deployments["g"].SupportsPrefill);
    }

    private sealed class OneModelCatalog : ILocalModelCatalog, IChatCompletionClient
    {
        public IChatCompletionClient? Find(string model) => model == "tiny.gguf" ? this : null;

        public Task<ChatCompletionResponse> CompleteAsync(ChatCompletionRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<ChatCompletionChunk> StreamAsync(ChatCompletionRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
