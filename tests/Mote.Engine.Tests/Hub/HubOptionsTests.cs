using Mote.Engine.Hub;

namespace Mote.Engine.Tests.Hub;

public sealed class HubOptionsTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void FromEnvironment_Nothing_UsesHuggingFaceAndHomeCache()
    {
        var options = HubOptions.FromEnvironment(environment: Environment());

        Assert.Equal(new Uri("https://huggingface.co"), options.Endpoint);
        Assert.Null(options.Token);
        Assert.EndsWith(Path.Combine(".cache", "mote"), options.CacheDirectory, StringComparison.Ordinal);
    }

    [Fact]
    public void FromEnvironment_Variables_SetEndpointTokenAndCache()
    {
        var options = HubOptions.FromEnvironment(environment: Environment(
            ("HF_ENDPOINT", "http://mirror.local:9000/"), ("HF_TOKEN", "hf_abc"), ("MOTE_CACHE", "/tmp/mote-cache")));

        Assert.Equal(new Uri("http://mirror.local:9000"), options.Endpoint);
        Assert.Equal("hf_abc", options.Token);
        Assert.Equal("/tmp/mote-cache", options.CacheDirectory);
    }

    [Fact]
    public void FromEnvironment_ExplicitArguments_WinOverVariables()
    {
        var options = HubOptions.FromEnvironment("http://flag.local", "/flag/cache",
            Environment(("HF_ENDPOINT", "http://env.local"), ("MOTE_CACHE", "/env/cache")));

        Assert.Equal(new Uri("http://flag.local"), options.Endpoint);
        Assert.Equal("/flag/cache", options.CacheDirectory);
    }

    [Fact]
    public void FromEnvironment_BadEndpoint_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => HubOptions.FromEnvironment("ftp://nope", environment: Environment()));
    }

    [Fact]
    public void ModelCache_PathOutsideTheCache_IsRejected()
    {
        var cache = new ModelCache("/tmp/mote-cache");

        Assert.Throws<ArgumentException>(() => cache.PathFor("owner/repo", "../../../etc/passwd"));
        Assert.Equal(Path.Combine("/tmp/mote-cache", "models", "owner", "repo", "m.gguf"), cache.PathFor("owner/repo", "m.gguf"));
    }
}
