using System.Text;

namespace Mote.Cli.Tests.Chat;

/// <summary>Output that records each write separately (to see streaming) and lets a test wait for some text.</summary>
internal sealed class RecordingWriter : TextWriter
{
    private readonly Lock _lock = new();
    private readonly StringBuilder _text = new();
    private readonly List<string> _writes = [];

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (_lock)
                return _text.ToString();
        }
    }

    public IReadOnlyList<string> Writes
    {
        get
        {
            lock (_lock)
                return [.. _writes];
        }
    }

    public override void Write(char value) => Write(value.ToString());

    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return;
        lock (_lock)
        {
            _text.Append(value);
            _writes.Add(value);
        }
    }

    public override void WriteLine(string? value) => Write(value + "\n");

    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteAsync(char value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    public override Task WriteLineAsync()
    {
        Write("\n");
        return Task.CompletedTask;
    }

    public override Task FlushAsync() => Task.CompletedTask;

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Waits until the output contains <paramref name="text"/>.</summary>
    public async Task WaitForAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!Text.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Output never contained \"{text}\". Output so far:\n{Text}");
            await Task.Delay(10);
        }
    }
}
