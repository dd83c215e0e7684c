namespace Mote.Testing;

/// <summary>
/// Locates the shared reference fixtures (real GGUF models, llama.cpp goldens, tokenizer suites).
/// They live beside the repository in <c>../shared/fixtures</c>, or wherever <c>$MOTE_FIXTURES</c> points;
/// they are never copied into the repository.
/// </summary>
public static class Fixtures
{
    private static readonly Lazy<string?> s_root = new(FindRoot);

    /// <summary>The fixtures folder, or null when it is absent on this machine.</summary>
    public static string? Root => s_root.Value;

    public static bool Available => Root is not null;

    public const string MissingMessage =
        "Reference fixtures not found: set MOTE_FIXTURES or place them in ../shared/fixtures beside the repository.";

    /// <summary>Absolute path of a file below the fixtures folder; throws when fixtures are absent.</summary>
    public static string Path(params string[] parts)
    {
        var root = Root ?? throw new InvalidOperationException(MissingMessage);
        return System.IO.Path.Combine([root, .. parts]);
    }

    private static string? FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("MOTE_FIXTURES");
        if (!string.IsNullOrEmpty(fromEnvironment))
            return Directory.Exists(fromEnvironment) ? System.IO.Path.GetFullPath(fromEnvironment) : null;

        // Walk up from the test binary until a folder holding Mote.slnx is found; fixtures sit beside the repo.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Mote.slnx")))
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "..", "shared", "fixtures");
                return Directory.Exists(candidate) ? System.IO.Path.GetFullPath(candidate) : null;
            }
        }
        return null;
    }
}
