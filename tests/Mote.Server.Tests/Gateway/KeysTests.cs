using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Mote.Gateway.Configuration;
using Mote.Gateway.Keys;
using Mote.Server.Tests.Fakes;

namespace Mote.Server.Tests.Gateway;

/// <summary>Bearer auth, virtual keys through the admin API, revocation, budgets and rate limits.</summary>
public sealed class KeysTests : IAsyncLifetime
{
    private readonly string _masterEnv = "MOTE_TEST_MASTER_" + Guid.NewGuid().ToString("N");
    private readonly string _teamEnv = "MOTE_TEST_TEAM_" + Guid.NewGuid().ToString("N");
    private readonly string _master = "sk-master-" + Guid.NewGuid().ToString("N");
    private readonly string _team = "sk-team-" + Guid.NewGuid().ToString("N");
    private FakeUpstream _upstream = null!;
    private GatewayHost _host = null!;
    private TestClock _clock = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(_masterEnv, _master);
        Environment.SetEnvironmentVariable(_teamEnv, _team);
        _upstream = await FakeUpstream.StartAsync();
        _upstream.Always(Behaviours.Ok("two tokens", promptTokens: 10));
        _clock = new TestClock();
        // 1000 USD per million tokens in and out: every request above costs 12 / 1e6 * 1000 = 0.012 USD.
        _host = await GatewayHost.StartAsync(TestConfig.Build("chat: fake\nother: fake", TestConfig.FastResilience, $$"""
            keys:
              master_key_env: {{_masterEnv}}
              virtual:
                - { name: team, key_env: {{_teamEnv}}, models: [chat] }
            """, new Target("fake", _upstream, "input_price: 1000, output_price: 1000")), _clock);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _upstream.DisposeAsync();
        Environment.SetEnvironmentVariable(_masterEnv, null);
        Environment.SetEnvironmentVariable(_teamEnv, null);
    }

    private async Task<(string Id, string Key)> CreateKeyAsync(string spec)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/keys") { Content = new StringContent(spec) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _master);
        var response = await _host.Client.SendAsync(request);
        Assert.Equal(201, (int)response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (json.GetProperty("info").GetProperty("id").GetString()!, json.GetProperty("key").GetString()!);
    }

    private async Task<HttpResponseMessage> AdminAsync(HttpMethod method, string path, string? key = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key ?? _master);
        return await _host.Client.SendAsync(request);
    }

    [Fact]
    public async Task ChatCompletions_WithoutKey_Returns401()
    {
        var (status, body, _) = await _host.ChatAsync(GatewayHost.Chat("chat"));

        Assert.Equal(401, status);
        Assert.Equal("missing_api_key", body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0, _upstream.Count);
    }

    [Fact]
    public async Task ChatCompletions_WithWrongKey_Returns401()
    {
        var (status, body, _) = await _host.ChatAsync(GatewayHost.Chat("chat"), "sk-nope");

        Assert.Equal(401, status);
        Assert.Equal("invalid_api_key", body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task WrongKeys_AreNotRemembered_ButAKeyThatWorkedIs()
    {
        var keys = _host.App.Services.GetRequiredService<KeyService>();

        for (var i = 0; i < 5; i++)
            Assert.Equal(401, (await _host.ChatAsync(GatewayHost.Chat("chat"), $"sk-wrong-{i}")).Status);
        var afterWrong = keys.RememberedTokens;
        var first = await _host.ChatAsync(GatewayHost.Chat("chat"), _team);
        var second = await _host.ChatAsync(GatewayHost.Chat("chat"), _team);

        Assert.Equal(0, afterWrong);
        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal(1, keys.RememberedTokens);
    }

    [Fact]
    public async Task DeclaredKey_RemovedFromTheFile_IsRejectedOnceReloaded_ThoughItWasUsed()
    {
        var store = _host.App.Services.GetRequiredService<GatewayConfigStore>();
        var before = await _host.ChatAsync(GatewayHost.Chat("chat"), _team);

        var config = await File.ReadAllTextAsync(_host.ConfigPath);
        await File.WriteAllTextAsync(_host.ConfigPath, config.Replace(
            $"- {{ name: team, key_env: {_teamEnv}, models: [chat] }}", "- { name: other, key_sha256: \"" + new string('0', 64) + "\" }", StringComparison.Ordinal));
        var reloaded = store.TryReload(out var errors);
        var after = await _host.ChatAsync(GatewayHost.Chat("chat"), _team);

        Assert.Equal(200, before.Status);
        Assert.True(reloaded, string.Join("; ", errors));
        Assert.Equal(401, after.Status);
    }

    [Fact]
    public async Task DeclaredKey_MayUseOnlyItsModels()
    {
        var allowed = await _host.ChatAsync(GatewayHost.Chat("chat"), _team);
        var denied = await _host.ChatAsync(GatewayHost.Chat("other"), _team);

        Assert.Equal(200, allowed.Status);
        Assert.Equal(403, denied.Status);
        Assert.Equal("model_not_allowed", denied.Body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task AdminApi_RejectsAnythingButTheMasterKey()
    {
        var response = await AdminAsync(HttpMethod.Get, "/admin/keys", _team);

        Assert.Equal(401, (int)response.StatusCode);
    }

    [Fact]
    public async Task CreatedKey_WorksUntilRevoked()
    {
        var (id, key) = await CreateKeyAsync("""{"name":"ci"}""");

        var before = await _host.ChatAsync(GatewayHost.Chat("chat"), key);
        var listing = await (await AdminAsync(HttpMethod.Get, "/admin/keys")).Content.ReadAsStringAsync();
        var revoke = await AdminAsync(HttpMethod.Delete, $"/admin/keys/{id}");
        var after = await _host.ChatAsync(GatewayHost.Chat("chat"), key);

        Assert.Equal(200, before.Status);
        Assert.Contains(id, listing);
        Assert.DoesNotContain(key, listing);
        Assert.Equal(200, (int)revoke.StatusCode);
        Assert.Equal(401, after.Status);
    }

    [Fact]
    public async Task Budget_BlocksTheKeyOnceSpent_AndSpendIsReported()
    {
        var (id, key) = await CreateKeyAsync("""{"name":"tight","budget_usd":0.02,"budget_period":"daily"}""");

        var first = await _host.ChatAsync(GatewayHost.Chat("chat"), key);
        var second = await _host.ChatAsync(GatewayHost.Chat("chat"), key);
        var third = await _host.ChatAsync(GatewayHost.Chat("chat"), key);
        var spend = JsonDocument.Parse(await (await AdminAsync(HttpMethod.Get, $"/admin/keys/{id}/spend")).Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal(429, third.Status);
        Assert.Equal("budget_exceeded", third.Body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(0.024, spend.GetProperty("spend_usd").GetDouble(), 9);
        Assert.Equal(2, spend.GetProperty("requests").GetInt64());
        Assert.Equal(2, _upstream.Count);
    }

    [Fact]
    public async Task RequestsPerMinute_LimitAnswers429WithRetryAfter_ThenRecovers()
    {
        var (_, key) = await CreateKeyAsync("""{"name":"rpm","rpm":2}""");

        var first = await _host.ChatAsync(GatewayHost.Chat("chat"), key);
        var second = await _host.ChatAsync(GatewayHost.Chat("chat"), key);
        var third = await _host.ChatAsync(GatewayHost.Chat("chat"), key);
        _clock.Advance(TimeSpan.FromSeconds(61));
        var later = await _host.ChatAsync(GatewayHost.Chat("chat"), key);

        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal(429, third.Status);
        Assert.Equal("rate_limit_exceeded", third.Body.GetProperty("error").GetProperty("code").GetString());
        Assert.NotNull(third.Response.Headers.RetryAfter);
        Assert.Equal(200, later.Status);
    }

    [Fact]
    public async Task TokensPerMinute_LimitCountsWhatRequestsUsed()
    {
        var (_, key) = await CreateKeyAsync("""{"name":"tpm","tpm":20}""");

        var first = await _host.ChatAsync(GatewayHost.Chat("chat"), key);   // 12 tokens
        var second = await _host.ChatAsync(GatewayHost.Chat("chat"), key);  // 24 in the window afterwards
        var third = await _host.ChatAsync(GatewayHost.Chat("chat"), key);

        Assert.Equal(200, first.Status);
        Assert.Equal(200, second.Status);
        Assert.Equal(429, third.Status);
        Assert.Contains("tokens per minute", third.Body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Ledger_RecordsTheKeyOfEachRequest()
    {
        var (id, key) = await CreateKeyAsync("""{"name":"ledger"}""");

        await _host.ChatAsync(GatewayHost.Chat("chat"), key);

        var usage = JsonDocument.Parse(await (await AdminAsync(HttpMethod.Get, "/admin/usage")).Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(usage.GetProperty("data").EnumerateArray(), row => row.GetProperty("key_id").GetString() == id);
    }
}
