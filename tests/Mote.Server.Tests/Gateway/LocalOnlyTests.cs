using Mote.Server.Tests.Fakes;

namespace Mote.Server.Tests.Gateway;

/// <summary>The privacy policy: a local-only route, key or request never leaves the machine, and fails closed.</summary>
public sealed class LocalOnlyTests : IAsyncLifetime
{
    private readonly string _keyEnv = "MOTE_TEST_LOCALKEY_" + Guid.NewGuid().ToString("N");
    private readonly string _key = "sk-local-" + Guid.NewGuid().ToString("N");
    private FakeUpstream _local = null!;
    private FakeUpstream _cloud = null!;
    private GatewayHost _host = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(_keyEnv, _key);
        _local = await FakeUpstream.StartAsync();
        _cloud = await FakeUpstream.StartAsync();
        _cloud.Always(Behaviours.Ok("From the cloud."));
        _host = await GatewayHost.StartAsync(TestConfig.Build("""
            chat: { fallback: [local, cloud] }
            cloud-only: cloud
            private: { fallback: [local, cloud], local_only: true }
            """, "resilience: { max_retries: 0 }", $$"""
            keys:
              virtual:
                - { name: private-team, key_env: {{_keyEnv}}, local_only: true }
            """,
            new Target("local", _local), new Target("cloud", _cloud, "", "local: false")));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _local.DisposeAsync();
        await _cloud.DisposeAsync();
        Environment.SetEnvironmentVariable(_keyEnv, null);
    }

    [Fact]
    public async Task LocalOnlyRoute_WhenTheLocalModelFails_FailsClosedInsteadOfUsingTheCloud()
    {
        _local.Always(Behaviours.Error(500, "local model crashed"));

        var (status, _, response) = await _host.ChatAsync(GatewayHost.Chat("private"), _key);

        Assert.Equal(502, status);
        Assert.Equal(0, _cloud.Count);
        Assert.Contains("policy=local-only", response.Headers.GetValues("x-mote-route").Single());
    }

    [Fact]
    public async Task LocalOnlyKey_OnARouteWithOnlyCloudDeployments_Returns403PolicyError()
    {
        var (status, body, _) = await _host.ChatAsync(GatewayHost.Chat("cloud-only"), _key);

        Assert.Equal(403, status);
        Assert.Equal("policy_error", body.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("local_only_unavailable", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("API key 'private-team' is local-only", body.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(0, _cloud.Count);
    }

    [Fact]
    public async Task LocalOnlyHeader_KeepsTheRequestOnTheLocalDeployment()
    {
        _local.Always(Behaviours.Error(503, "busy"));

        var withHeader = await _host.ChatAsync(GatewayHost.Chat("chat"), _key, ("x-mote-local-only", "true"));

        Assert.Equal(502, withHeader.Status);
        Assert.Equal(0, _cloud.Count);
    }

    [Fact]
    public async Task WithoutThePolicy_TheSameRouteFallsBackToTheCloud()
    {
        Environment.SetEnvironmentVariable(_keyEnv, _key);
        _local.Always(Behaviours.Error(503, "busy"));
        await using var open = await GatewayHost.StartAsync(TestConfig.Build("chat: { fallback: [local, cloud] }", "resilience: { max_retries: 0 }", "",
            new Target("local", _local), new Target("cloud", _cloud, "", "local: false")));

        var (status, body, _) = await open.ChatAsync(GatewayHost.Chat("chat"));

        Assert.Equal(200, status);
        Assert.Equal("model-cloud", body.GetProperty("model").GetString());
    }
}
