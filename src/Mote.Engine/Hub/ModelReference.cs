namespace Mote.Engine.Hub;

/// <summary>
/// What to pull: a repository on the Hub, optionally one file in it, at a revision. Written by users as an alias
/// (<c>smollm2-135m-instruct</c>) or <c>hf:OWNER/REPO[:FILE]</c>, with an optional revision <c>hf:OWNER/REPO@REV[:FILE]</c>.
/// </summary>
/// <param name="Repository"><c>owner/name</c>.</param>
/// <param name="File">A file path in the repository, or null to pick a default GGUF.</param>
/// <param name="Revision">Branch, tag or commit; <c>main</c> by default.</param>
/// <param name="Alias">The alias this came from, if any.</param>
public sealed record ModelReference(string Repository, string? File, string Revision = "main", string? Alias = null)
{
    private const string Prefix = "hf:";

    /// <summary>Parses an alias or <c>hf:OWNER/REPO[@REV][:FILE]</c>; throws <see cref="ArgumentException"/> saying what is accepted.</summary>
    public static ModelReference Parse(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        spec = spec.Trim();
        if (ModelAliases.TryGet(spec, out var alias))
            return new ModelReference(alias.Repository, alias.File, Alias: alias.Name);
        if (!spec.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException(
                $"'{spec}' is not a known model alias or a Hugging Face reference. Use one of {string.Join(", ", ModelAliases.All.Select(a => a.Name))}, " +
                "or hf:OWNER/REPO[:FILE] (for example hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF:qwen2.5-0.5b-instruct-q8_0.gguf).");

        var rest = spec[Prefix.Length..];
        string? file = null;
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            file = rest[(colon + 1)..].Trim('/');
            rest = rest[..colon];
            if (file.Length == 0)
                throw new ArgumentException($"'{spec}': the file after ':' is empty.");
        }
        var revision = "main";
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            revision = rest[(at + 1)..];
            rest = rest[..at];
            if (revision.Length == 0)
                throw new ArgumentException($"'{spec}': the revision after '@' is empty.");
        }
        var parts = rest.Split('/');
        if (parts.Length != 2 || parts.Any(p => p.Length == 0 || p is "." or ".." || p.Any(c => char.IsWhiteSpace(c) || c == '\\')))
            throw new ArgumentException($"'{spec}': expected hf:OWNER/REPO[:FILE].");
        if (file is not null && file.Split('/').Any(p => p is "" or "." or ".." || p.Contains('\\', StringComparison.Ordinal)))
            throw new ArgumentException($"'{spec}': the file path '{file}' is not a plain path inside the repository.");
        return new ModelReference(rest, file, revision);
    }

    public override string ToString() =>
        Prefix + Repository + (Revision == "main" ? "" : "@" + Revision) + (File is null ? "" : ":" + File);
}
