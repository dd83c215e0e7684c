using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Mote.Contracts;
using Mote.Gateway.Configuration;
using Mote.Testing;

namespace Mote.Gateway.Tests.Configuration;

/// <summary>The complete example in docs/gateway.md must stay a valid configuration.</summary>
public sealed partial class DocsExampleTests
{
    [GeneratedRegex("```(yaml|json)\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [Fact]
    public void GatewayDoc_CompleteExample_ParsesAndCompiles()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "gateway.md"));
        var blocks = CodeBlock().Matches(doc);
        var yaml = blocks.First(m => m.Groups[1].Value == "yaml").Groups[2].Value;
        var json = blocks.First(m => m.Groups[1].Value == "json").Groups[2].Value;
        foreach (var variable in new[] { "OPENAI_API_KEY", "OPENROUTER_API_KEY", "GROQ_KEY", "INTERNAL_LLM_KEY", "ANTHROPIC_API_KEY", "MOTE_MASTER_KEY", "MOTE_CI_KEY" })
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
                Environment.SetEnvironmentVariable(variable, "test-" + variable);

        var services = new ServiceCollection().AddLogging().AddSingleton<ILocalModelCatalog>(new AnyModel());
        services.AddMoteGateway(_ => { });
        using var provider = services.BuildServiceProvider();
        var compiler = provider.GetRequiredService<GatewayCompiler>();
        var runtime = compiler.Compile(GatewayConfigLoader.Parse(yaml, yaml: true), "docs/gateway.md", Path.GetTempPath());
        var small = GatewayConfigLoader.Parse(json, yaml: false);

        Assert.Equal(["chat", "fast", "hybrid", "private", "split"], runtime.Routes.Keys.Order(StringComparer.Ordinal));
        Assert.NotNull(runtime.Routes["hybrid"].Cascade);
        Assert.Equal("gpt4o", runtime.Routes["hybrid"].Reference!.Name);
        Assert.True(runtime.Routes["private"].LocalOnly);
        Assert.True(runtime.Deployments["llama-gpu"].IsLocal);
        Assert.False(runtime.Deployments["gpt4o-mini"].IsLocal);
        Assert.NotNull(runtime.Resolve("openai/gpt-4o"));
        Assert.Single(small.Routes);
    }

    private sealed class AnyModel : ILocalModelCatalog, IChatCompletionClient
    {
        public IChatCompletionClient? Find(string model) => this;

        public Task<ChatCompletionResponse> CompleteAsync(ChatCompletionRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();

        public IAsyncEnumerable<ChatCompletionChunk> StreamAsync(ChatCompletionRequest request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
