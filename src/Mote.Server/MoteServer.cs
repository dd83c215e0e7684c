namespace Mote.Server;

/// <summary>
/// Entry point of the server: <c>MoteServer.CreateBuilder(options).Build()</c> gives a ready
/// <see cref="Microsoft.AspNetCore.Builder.WebApplication"/> (OpenAI-compatible endpoints, gateway, metrics, admin).
/// </summary>
public static class MoteServer
{
    public static MoteServerBuilder CreateBuilder(MoteServerOptions options) => new(options);
}
