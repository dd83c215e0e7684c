using Mote.Gateway.Configuration;

namespace Mote.Gateway.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    private const string Yaml = """
        # comments are fine
        providers:
          openai: { type: openai-compatible, profile: openai }
          box: &box
            type: openai-compatible
            base_url: http://127.0.0.1:8000/v1
            drops: [logprobs]
        deployments:
          small: { provider: box, model: "0123", input_price: 0.15, output_price: 0.6, context_length: 8192, capabilities: [tools, logprobs] }
          big: { provider: openai, model: gpt-4o, ttft_budget_ms: 1500 }
        routes:
          fast: small
          chat:
            fallback:
              - balance: [small, { deployment: big, weight: 3 }]
                policy: lowest-latency
              - big
            stream_buffer_chars: 64
          hybrid:
            cascade: { tiers: [small, big], min_mean_logprob: -0.4 }
            local_only: false
        allow_direct: true
        """;

    private const string Json = """
        {
          // and in JSON too
          "providers": {
            "openai": { "type": "openai-compatible", "profile": "openai" },
            "box": { "type": "openai-compatible", "base_url": "http://127.0.0.1:8000/v1", "drops": ["logprobs"] },
          },
          "deployments": {
            "small": { "provider": "box", "model": "0123", "input_price": 0.15, "output_price": 0.6, "context_length": 8192, "capabilities": ["tools", "logprobs"] },
            "big": { "provider": "openai", "model": "gpt-4o", "ttft_budget_ms": 1500 }
          },
          "routes": {
            "fast": "small",
            "chat": { "fallback": [ { "balance": ["small", { "deployment": "big", "weight": 3 }], "policy": "lowest-latency" }, "big" ], "stream_buffer_chars": 64 },
            "hybrid": { "cascade": { "tiers": ["small", "big"], "min_mean_logprob": -0.4 }, "local_only": false }
          },
          "allow_direct": true
        }
        """;

    [Fact]
    public void Parse_YamlAndJson_GiveTheSameConfiguration()
    {
        var fromYaml = GatewayConfigLoader.Parse(Yaml, yaml: true);
        var fromJson = GatewayConfigLoader.Parse(Json, yaml: false);

        foreach (var config in new[] { fromYaml, fromJson })
        {
            Assert.True(config.AllowDirect);
            Assert.Equal("0123", config.Deployments["small"].Model); // quoted YAML scalars stay strings
            Assert.Equal(0.15, config.Deployments["small"].InputPrice);
            Assert.Equal(8192, config.Deployments["small"].ContextLength);
            Assert.Equal(["logprobs"], config.Providers["box"].Drops!);
            Assert.Equal("small", config.Routes["fast"].Deployment);
            var balance = config.Routes["chat"].Fallback![0];
            Assert.Equal("lowest-latency", balance.Policy);
            Assert.Equal("small", balance.Balance![0].Deployment);
            Assert.Equal(3, balance.Balance[1].Weight);
            Assert.Equal("big", config.Routes["chat"].Fallback![1].Deployment);
            Assert.Equal(64, config.Routes["chat"].StreamBufferChars);
            Assert.Equal(-0.4, config.Routes["hybrid"].Cascade!.MinMeanLogprob);
            Assert.Equal("big", config.Routes["hybrid"].Cascade!.Tiers[1].Deployment);
            Assert.Equal(2, config.Resilience.MaxRetries); // defaults survive absent sections
        }
    }

    [Fact]
    public void Parse_MisspelledKey_NamesTheKeyAndItsPath()
    {
        var error = Assert.Throws<GatewayConfigException>(() =>
            GatewayConfigLoader.Parse("deployments:\n  a: { provider: p, model: m, imput_price: 1 }\n", yaml: true, "gateway.yaml"));

        Assert.Contains("gateway.yaml", error.Message);
        Assert.Contains("deployments.a.imput_price", error.Message);
    }

    [Fact]
    public void Parse_WrongValueType_NamesThePath()
    {
        var error = Assert.Throws<GatewayConfigException>(() =>
            GatewayConfigLoader.Parse("deployments:\n  a: { provider: p, model: m, context_length: lots }\n", yaml: true));

        Assert.Contains("deployments.a.context_length", error.Message);
    }

    [Fact]
    public void Parse_BrokenYaml_ReportsTheLine()
    {
        var error = Assert.Throws<GatewayConfigException>(() =>
            GatewayConfigLoader.Parse("providers:\n  a: b: c\n", yaml: true));
        var truncated = Assert.Throws<GatewayConfigException>(() =>
            GatewayConfigLoader.Parse("providers:\n  a: { type: x\n  b: [", yaml: true));

        Assert.Contains("invalid YAML at line 2", error.Message);
        Assert.Contains("invalid YAML", truncated.Message);
    }

    [Fact]
    public void Parse_YamlAlias_CopiesTheAnchoredNode()
    {
        var config = GatewayConfigLoader.Parse("""
            providers:
              a: &shared { type: openai-compatible, base_url: "http://127.0.0.1:1/v1" }
              b: *shared
            """, yaml: true);

        Assert.Equal("http://127.0.0.1:1/v1", config.Providers["b"].BaseUrl);
    }

    [Fact]
    public void LoadFile_MissingFile_NamesIt()
    {
        var error = Assert.Throws<GatewayConfigException>(() => GatewayConfigLoader.LoadFile("/nonexistent/gateway.yaml"));

        Assert.Contains("/nonexistent/gateway.yaml", error.Message);
    }
}
