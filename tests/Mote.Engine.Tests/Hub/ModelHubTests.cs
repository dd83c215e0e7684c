using System.Security.Cryptography;
using Mote.Engine.Hub;
using Mote.Testing;

namespace Mote.Engine.Tests.Hub;

/// <summary>
/// Pulls against a fake hub on 127.0.0.1 serving the stories260K fixture GGUFs. The expected SHA-256 of each fixture
/// comes from the fixtures' own SHA256SUMS, not from anything Mote computed.
/// </summary>
public sealed class ModelHubTests : IDisposable
{
    private const string Repository = "testorg/stories260K-GGUF";
    private const string Q8File = "stories260K-Q8_0.gguf";
    private const string Q4File = "stories260K-Q4_K_M.gguf";

    private readonly FakeHub _hub = new();
    private readonly string _cache = RepoPaths.NewTempDirectory();

    public void Dispose()
    {
        _hub.Dispose();
        Directory.Delete(_cache, recursive: true);
    }

    private static byte[] Fixture(string name) => File.ReadAllBytes(Fixtures.Path("stories260K", name));

    private static string FixtureSha256(string name)
    {
        var line = File.ReadLines(Fixtures.Path("SHA256SUMS")).Single(l => l.EndsWith("/stories260K/" + name, StringComparison.Ordinal));
        return line[..64];
    }

    private void ServeFixtures()
    {
        _hub.AddFile(Repository, "README.md", "# stories260K\n"u8.ToArray(), lfs: false);
        _hub.AddFile(Repository, Q8File, Fixture("stories260K-q8_0.gguf"));
        _hub.AddFile(Repository, Q4File, Fixture("stories260K-q4_k_m.gguf"));
        _hub.AddFile(Repository, "stories260K-F16-00001-of-00002.gguf", [1, 2, 3]);
    }

    private ModelHub NewHub(int maxAttempts = 3, string? token = null) => new(new HubOptions
    {
        Endpoint = _hub.Endpoint,
        CacheDirectory = _cache,
        Token = token,
        MaxAttempts = maxAttempts,
        RetryDelay = TimeSpan.FromMilliseconds(10),
    });

    private string[] CacheFiles() => Directory.Exists(_cache) ? Directory.GetFiles(_cache, "*", SearchOption.AllDirectories) : [];

    [FixtureFact]
    public async Task Pull_NamedFile_DownloadsVerifiesAndPlacesItInTheCache()
    {
        ServeFixtures();
        using var hub = NewHub();
        var progress = new List<DownloadProgress>();

        var pulled = await hub.PullAsync($"hf:{Repository}:{Q8File}", new SynchronousProgress(progress.Add));

        Assert.Equal(Path.Combine(_cache, "models", "testorg", "stories260K-GGUF", Q8File), pulled.Path);
        Assert.Equal(FixtureSha256("stories260K-q8_0.gguf"), pulled.Sha256);
        Assert.Equal(FixtureSha256("stories260K-q8_0.gguf"), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(pulled.Path))));
        Assert.False(pulled.WasCached);
        Assert.Equal(pulled.Size, progress[^1].BytesDone);
        Assert.Equal(pulled.Size, progress[^1].TotalBytes);
        Assert.Single(CacheFiles()); // no .part left behind
        Assert.Contains(_hub.Requests, r => r.Path == $"/{Repository}/resolve/main/{Q8File}");
        Assert.Contains(_hub.Requests, r => r.Path == $"/api/models/{Repository}/tree/main?recursive=true&expand=false");
    }

    [FixtureFact]
    public async Task Pull_RepositoryOnly_PicksQ4KMAndSaysSo()
    {
        ServeFixtures();
        using var hub = NewHub();

        var pulled = await hub.PullAsync($"hf:{Repository}");

        Assert.Equal(Q4File, pulled.File);
        Assert.True(pulled.ChosenAutomatically);
        Assert.Equal(FixtureSha256("stories260K-q4_k_m.gguf"), pulled.Sha256);
    }

    [FixtureFact]
    public async Task Pull_ConnectionDropsMidBody_KeepsPartialThenResumesWithRange()
    {
        ServeFixtures();
        _hub.DropAfterBytes = 100_000;
        _hub.DropsRemaining = 1;
        using var hub = NewHub(maxAttempts: 1);

        var interrupted = await Assert.ThrowsAsync<HubException>(() => hub.PullAsync($"hf:{Repository}:{Q8File}"));

        Assert.Equal(HubErrorKind.Interrupted, interrupted.Kind);
        var partial = Path.Combine(_cache, "models", "testorg", "stories260K-GGUF", Q8File + ".part");
        var kept = new FileInfo(partial).Length;
        Assert.InRange(kept, 1, 100_000);
        Assert.False(File.Exists(partial[..^".part".Length]));

        var pulled = await hub.PullAsync($"hf:{Repository}:{Q8File}");

        var resumed = _hub.Requests.Last(r => r.Path.Contains("/resolve/", StringComparison.Ordinal));
        Assert.Equal($"bytes={kept}-", resumed.Range);
        Assert.Equal(FixtureSha256("stories260K-q8_0.gguf"), pulled.Sha256);
        Assert.Equal(Fixture("stories260K-q8_0.gguf"), await File.ReadAllBytesAsync(pulled.Path));
        Assert.False(File.Exists(partial));
    }

    [FixtureFact]
    public async Task Pull_ConnectionDropsOnce_RetriesByResumingWithinOnePull()
    {
        ServeFixtures();
        _hub.DropAfterBytes = 50_000;
        _hub.DropsRemaining = 1;
        using var hub = NewHub(maxAttempts: 3);

        var pulled = await hub.PullAsync($"hf:{Repository}:{Q8File}");

        var downloads = _hub.Requests.Where(r => r.Path.Contains("/resolve/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, downloads.Count);
        Assert.Null(downloads[0].Range);
        Assert.StartsWith("bytes=", downloads[1].Range, StringComparison.Ordinal);
        Assert.Equal(FixtureSha256("stories260K-q8_0.gguf"), pulled.Sha256);
    }

    [FixtureFact]
    public async Task Pull_ServerIgnoresRange_RestartsFromTheBeginning()
    {
        ServeFixtures();
        _hub.IgnoreRange = true;
        var target = Path.Combine(_cache, "models", "testorg", "stories260K-GGUF", Q8File);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        await File.WriteAllBytesAsync(target + ".part", new byte[4096]); // a stale prefix that is not the file's
        using var hub = NewHub();

        var pulled = await hub.PullAsync($"hf:{Repository}:{Q8File}");

        Assert.Equal("bytes=4096-", _hub.Requests.Last(r => r.Path.Contains("/resolve/", StringComparison.Ordinal)).Range);
        Assert.Equal(Fixture("stories260K-q8_0.gguf"), await File.ReadAllBytesAsync(pulled.Path));
    }

    [FixtureFact]
    public async Task Pull_WrongHash_FailsAndLeavesNothingInTheCache()
    {
        _hub.AddFile(Repository, Q8File, Fixture("stories260K-q8_0.gguf"), advertisedSha256: new string('a', 64));
        using var hub = NewHub();

        var e = await Assert.ThrowsAsync<HubException>(() => hub.PullAsync($"hf:{Repository}:{Q8File}"));

        Assert.Equal(HubErrorKind.Integrity, e.Kind);
        Assert.Contains("SHA-256 mismatch", e.Message, StringComparison.Ordinal);
        Assert.Contains(FixtureSha256("stories260K-q8_0.gguf"), e.Message, StringComparison.Ordinal);
        Assert.Empty(CacheFiles());
        Assert.Empty(hub.Cache.List());
    }

    [Fact]
    public async Task Pull_UnknownRepository_IsNotFound()
    {
        using var hub = NewHub();

        var e = await Assert.ThrowsAsync<HubException>(() => hub.PullAsync("hf:nobody/nothing-GGUF"));

        Assert.Equal(HubErrorKind.NotFound, e.Kind);
        Assert.Contains("nobody/nothing-GGUF", e.Message, StringComparison.Ordinal);
        Assert.Empty(CacheFiles());
    }

    [FixtureFact]
    public async Task Pull_UnknownFile_ListsTheGgufFilesOnOffer()
    {
        ServeFixtures();
        using var hub = NewHub();

        var e = await Assert.ThrowsAsync<HubException>(() => hub.PullAsync($"hf:{Repository}:missing.gguf"));

        Assert.Equal(HubErrorKind.NotFound, e.Kind);
        Assert.Contains(Q4File, e.Message, StringComparison.Ordinal);
        Assert.Contains(Q8File, e.Message, StringComparison.Ordinal);
    }

    [FixtureFact]
    public async Task Pull_Alias_DownloadsTheAliasedRepositoryFile()
    {
        var alias = ModelAliases.All.Single(a => a.Name == ModelAliases.Default);
        _hub.AddFile(alias.Repository, alias.File, Fixture("stories260K-q8_0.gguf"));
        using var hub = NewHub();

        var pulled = await hub.PullAsync(ModelAliases.Default);

        Assert.Equal(Path.Combine([_cache, "models", .. alias.Repository.Split('/'), alias.File]), pulled.Path);
        var listed = Assert.Single(hub.Cache.List());
        Assert.Equal(ModelAliases.Default, listed.Alias);
        Assert.Equal(alias.Repository, listed.Repository);
        Assert.Equal(pulled.Size, listed.Size);
    }

    [FixtureFact]
    public async Task Pull_AlreadyCached_NeedsNoNetwork()
    {
        ServeFixtures();
        using (var hub = NewHub())
            await hub.PullAsync($"hf:{Repository}:{Q8File}");
        _hub.Dispose();
        using var offline = NewHub();

        var again = await offline.PullAsync($"hf:{Repository}:{Q8File}");
        var repositoryOnly = await offline.PullAsync($"hf:{Repository}");

        Assert.True(again.WasCached);
        Assert.True(repositoryOnly.WasCached);
        Assert.Equal(again.Path, repositoryOnly.Path);
    }

    [Fact]
    public async Task Pull_HubUnreachable_SaysHowToPassAModelFile()
    {
        var endpoint = _hub.Endpoint;
        _hub.Dispose();
        using var hub = new ModelHub(new HubOptions { Endpoint = endpoint, CacheDirectory = _cache, RetryDelay = TimeSpan.FromMilliseconds(10) });

        var e = await Assert.ThrowsAsync<HubException>(() => hub.PullAsync(ModelAliases.Default));

        Assert.Equal(HubErrorKind.Unavailable, e.Kind);
        Assert.Contains("--model /path/to/model.gguf", e.Message, StringComparison.Ordinal);
    }

    [FixtureFact]
    public async Task Pull_WithToken_SendsItAsBearer()
    {
        ServeFixtures();
        using var hub = NewHub(token: "hf_secret");

        await hub.PullAsync($"hf:{Repository}:{Q8File}");

        Assert.All(_hub.Requests, r => Assert.Equal("Bearer hf_secret", r.Authorization));
    }

    [FixtureFact]
    public async Task GetModelPath_ExistingFileOrAlias_ReturnsAGgufPath()
    {
        var alias = ModelAliases.All.Single(a => a.Name == ModelAliases.Default);
        _hub.AddFile(alias.Repository, alias.File, Fixture("stories260K-q8_0.gguf"));
        using var hub = NewHub();
        var local = Fixtures.Path("stories260K", "stories260K-q4_0.gguf");

        Assert.Equal(local, await hub.GetModelPathAsync(local));
        Assert.EndsWith(alias.File, await hub.GetModelPathAsync(ModelAliases.Default), StringComparison.Ordinal);
        await Assert.ThrowsAsync<FileNotFoundException>(() => hub.GetModelPathAsync("/no/such/model.gguf"));
    }

    [FixtureFact]
    public async Task ListFiles_PagedListing_FollowsLinkHeaders()
    {
        ServeFixtures();
        _hub.PageSize = 1;
        using var hub = NewHub();

        var files = await hub.Downloader.ListFilesAsync(Repository, "main");

        Assert.Equal(["README.md", Q8File, Q4File, "stories260K-F16-00001-of-00002.gguf"], files.Select(f => f.Path));
        Assert.Null(files[0].Sha256); // not an LFS file
        Assert.Equal(FixtureSha256("stories260K-q8_0.gguf"), files[1].Sha256);
        Assert.Equal(4, _hub.Requests.Count);
    }

    private sealed class SynchronousProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
