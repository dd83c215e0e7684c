using Mote.Engine.Loading;
using Mote.Engine.Runtime;
using Mote.Gguf;

namespace Mote.Cli.Commands;

/// <summary>
/// Turns the exceptions that mean "the user's input was wrong" into one clear line on stderr and exit code 1,
/// instead of a stack trace. Anything else is a bug and propagates.
/// </summary>
internal static class UserErrors
{
    public static int Run(TextWriter error, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsUserError(e))
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (IsUserError(e))
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static bool IsUserError(Exception e) => e is GgufFormatException or ModelLoadException
        or ContextOverflowException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException
        or NotSupportedException or ArgumentOutOfRangeException;
}
