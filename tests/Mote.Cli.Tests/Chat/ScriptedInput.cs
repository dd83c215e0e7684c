using System.Threading.Channels;

namespace Mote.Cli.Tests.Chat;

/// <summary>Lines typed by the test, one at a time, as a <see cref="TextReader"/> that waits for the next one.</summary>
internal sealed class ScriptedInput : TextReader
{
    private readonly Channel<string?> _lines = Channel.CreateUnbounded<string?>();

    public ScriptedInput Type(params string[] lines)
    {
        foreach (var line in lines)
            _lines.Writer.TryWrite(line);
        return this;
    }

    /// <summary>Ctrl+D: the end of input.</summary>
    public void End() => _lines.Writer.TryComplete();

    public override string? ReadLine() => ReadLineAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _lines.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }
}
