namespace Mote.Testing;

/// <summary>Paths inside this repository, found from the test binary's location.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Mote.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("Mote.slnx not found above " + AppContext.BaseDirectory);
    });

    public static string Root => s_root.Value;

    /// <summary>A fresh, empty temporary folder for one test.</summary>
    public static string NewTempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "mote-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
