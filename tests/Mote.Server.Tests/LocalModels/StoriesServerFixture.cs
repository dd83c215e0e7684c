using Mote.Testing;

namespace Mote.Server.Tests.LocalModels;

/// <summary>One server for stories260K with eight slots, shared by a test class.</summary>
public sealed class StoriesServerFixture : IAsyncLifetime
{
    internal LocalServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!Fixtures.Available)
            return;
        Server = await LocalServer.StartAsync(TestModels.Stories, o =>
        {
            o.Parallel = 8;
            o.ContextLength = 512;
        });
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
            await Server.DisposeAsync();
    }
}
