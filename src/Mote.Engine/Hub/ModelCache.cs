namespace Mote.Engine.Hub;

/// <summary>
/// The on-disk cache of pulled models: <c>ROOT/models/OWNER/REPO/FILE</c>, so a file's path says where it came from.
/// Downloads in progress sit next to their target as <c>FILE.part</c> and are not listed.
/// </summary>
public sealed class ModelCache(string root)
{
    public const string PartialSuffix = ".part";

    public string Root { get; } = Path.GetFullPath(root);

    public string ModelsDirectory => Path.Combine(Root, "models");

    /// <summary>The cache path of a repository file; rejects paths that would escape the cache.</summary>
    public string PathFor(string repository, string file)
    {
        var path = Path.GetFullPath(Path.Combine([ModelsDirectory, .. repository.Split('/'), .. file.Split('/')]));
        if (!path.StartsWith(ModelsDirectory + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"'{repository}/{file}' does not name a file inside the model cache");
        return path;
    }

    /// <summary>Every complete GGUF file in the cache, sorted by repository then file.</summary>
    public IReadOnlyList<CachedModel> List()
    {
        if (!Directory.Exists(ModelsDirectory))
            return [];
        var models = new List<CachedModel>();
        foreach (var path in Directory.EnumerateFiles(ModelsDirectory, "*.gguf", SearchOption.AllDirectories))
        {
            var parts = Path.GetRelativePath(ModelsDirectory, path).Split(Path.DirectorySeparatorChar);
            if (parts.Length < 3)
                continue; // not OWNER/REPO/FILE: something else put it there
            var repository = parts[0] + "/" + parts[1];
            var file = string.Join('/', parts[2..]);
            models.Add(new CachedModel(repository, file, path, new FileInfo(path).Length, ModelAliases.Find(repository, file)?.Name));
        }
        return [.. models.OrderBy(m => m.Repository, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.File, StringComparer.Ordinal)];
    }

    /// <summary>
    /// The cached file a reference points to: its exact file, or, when it names only a repository, the cached GGUF
    /// the default-quant rule would pick. Null when nothing suitable is cached.
    /// </summary>
    public CachedModel? Find(ModelReference reference)
    {
        if (reference.File is not null)
        {
            var path = PathFor(reference.Repository, reference.File);
            return File.Exists(path)
                ? new CachedModel(reference.Repository, reference.File, path, new FileInfo(path).Length, reference.Alias)
                : null;
        }
        var cached = List().Where(m => string.Equals(m.Repository, reference.Repository, StringComparison.OrdinalIgnoreCase)).ToList();
        var pick = QuantPicker.Pick(cached.Select(m => m.File).ToList());
        return pick is null ? null : cached.First(m => m.File == pick);
    }
}
