using Mote.Engine.Hub;

namespace Mote.Cli.Commands;

/// <summary>
/// Makes the models of <c>mote serve --model</c> available before the server starts: files are taken as they are,
/// aliases and <c>hf:</c> references are pulled into the cache if needed (with <c>mote pull</c>'s progress), so that
/// a missing network fails here with the exact <c>--model FILE</c> hint instead of inside a running server.
/// </summary>
internal static class ServeModels
{
    /// <summary>The file of each spec, or null after an error was printed.</summary>
    public static async Task<Dictionary<string, string>?> ResolveAsync(IEnumerable<string> specs, TextWriter output, TextWriter error,
        CancellationToken cancellationToken)
    {
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            if (File.Exists(spec))
            {
                paths[spec] = Path.GetFullPath(spec);
                continue;
            }
            try
            {
                using var hub = new ModelHub(HubOptions.FromEnvironment());
                var reference = spec.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) && !spec.StartsWith("hf:", StringComparison.OrdinalIgnoreCase)
                    ? throw new FileNotFoundException($"model file not found: {spec}")
                    : ModelReference.Parse(spec);
                if (reference.File is null || hub.Cache.Find(reference) is null)
                {
                    await output.WriteLineAsync($"mote: {spec} is not in the cache yet; pulling it (once).").ConfigureAwait(false);
                    if (await PullCommand.RunAsync(spec, null, null, output, error, cancellationToken).ConfigureAwait(false) != 0)
                        return null;
                }
                paths[spec] = await hub.GetModelPathAsync(spec, null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HubException or ArgumentException or IOException)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return null;
            }
        }
        return paths;
    }
}
