namespace Mote.Server.Tests.LocalModels;

/// <summary>One server for the synthesized chat model (ChatML template, control tokens), shared by a test class.</summary>
public sealed class TinyChatServerFixture : IAsyncLifetime
{
    internal LocalServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await LocalServer.StartAsync(TestModels.TinyChat);

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
