using System.Globalization;
using System.Text;
using Mote.Contracts;

namespace Mote.Cli.Chat;

/// <summary>
/// The terminal conversation: reads a line, streams the reply as it arrives, keeps the history, and understands
/// <c>/system TEXT</c>, <c>/reset</c>, <c>/help</c> and <c>/exit</c>. A reply stopped by
/// <see cref="ReplyInterrupt"/> (Ctrl+C) keeps what was written and the chat goes on.
/// </summary>
internal sealed class ChatSession(OpenAiChatClient client, string model, TextWriter output, TextWriter error, ChatStyle style,
    TimeProvider? time = null)
{
    private const string Help = "/system TEXT sets the system prompt, /reset clears the history, /exit quits; Ctrl+C stops a reply. " +
        "End a line with \\ to continue on the next one.";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly List<ChatMessage> _history = [];

    public string? SystemPrompt { get; set; }

    /// <summary>Longest reply, in tokens; null leaves it to the server.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>The user and assistant turns so far (the system prompt is sent in front of them).</summary>
    public IReadOnlyList<ChatMessage> History => _history;

    public async Task<int> RunAsync(TextReader input, ReplyInterrupt interrupt, CancellationToken cancellationToken)
    {
        await output.WriteLineAsync(style.Dim(Help)).ConfigureAwait(false);
        while (true)
        {
            var text = await ReadMessageAsync(input, cancellationToken).ConfigureAwait(false);
            if (text is null)
            {
                await output.WriteLineAsync().ConfigureAwait(false);
                return 0;
            }
            if (text.Length == 0)
                continue;
            if (text.StartsWith('/') && !text.StartsWith("//", StringComparison.Ordinal))
            {
                if (!await CommandAsync(text).ConfigureAwait(false))
                    return 0;
                continue;
            }
            await ReplyAsync(text.StartsWith("//", StringComparison.Ordinal) ? text[1..] : text, interrupt, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One message: a line, or several joined where a line ends with a backslash. Null at end of input.</summary>
    private async Task<string?> ReadMessageAsync(TextReader input, CancellationToken cancellationToken)
    {
        var message = new StringBuilder();
        await output.WriteAsync(style.Prompt).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var line = await input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
                return message.Length > 0 ? message.ToString().Trim() : null;
            if (!line.EndsWith('\\'))
                return message.Append(line).ToString().Trim();
            message.Append(line.AsSpan(0, line.Length - 1)).Append('\n');
            await output.WriteAsync(style.Dim("… ")).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a slash command; false means quit.</summary>
    private async Task<bool> CommandAsync(string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var name = space < 0 ? text : text[..space];
        var argument = space < 0 ? "" : text[(space + 1)..].Trim();
        switch (name)
        {
            case "/exit" or "/quit" or "/bye":
                return false;
            case "/reset" or "/clear":
                _history.Clear();
                await output.WriteLineAsync(style.Dim("(history cleared)")).ConfigureAwait(false);
                return true;
            case "/system" when argument.Length > 0:
                SystemPrompt = argument;
                await output.WriteLineAsync(style.Dim("(system prompt set; it applies from the next message)")).ConfigureAwait(false);
                return true;
            case "/system":
                await output.WriteLineAsync(style.Dim(string.IsNullOrEmpty(SystemPrompt)
                    ? "(no system prompt; set one with /system TEXT)"
                    : $"(system prompt: {SystemPrompt})")).ConfigureAwait(false);
                return true;
            case "/help" or "/?":
                await output.WriteLineAsync(style.Dim(Help)).ConfigureAwait(false);
                return true;
            default:
                await output.WriteLineAsync(style.Dim($"(unknown command {name}: try /help; start with // to send a message that begins with /)"))
                    .ConfigureAwait(false);
                return true;
        }
    }

    private async Task ReplyAsync(string text, ReplyInterrupt interrupt, CancellationToken cancellationToken)
    {
        _history.Add(new ChatMessage { Role = ChatRoles.User, Content = text });
        var messages = new List<ChatMessage>(_history.Count + 1);
        if (!string.IsNullOrWhiteSpace(SystemPrompt))
            messages.Add(new ChatMessage { Role = ChatRoles.System, Content = SystemPrompt });
        messages.AddRange(_history);

        var reply = new StringBuilder();
        var speed = new ReplySpeed(_time);
        string? failure = null;
        var stopped = false;
        var source = interrupt.Begin(cancellationToken);
        try
        {
            await foreach (var update in client.StreamAsync(model, messages, MaxTokens, source.Token).ConfigureAwait(false))
            {
                if (update.Usage is { } usage)
                    speed.Usage = usage;
                if (string.IsNullOrEmpty(update.Content))
                    continue;
                speed.Chunk();
                reply.Append(update.Content);
                // Raw text, as it arrives: the reply is the model's, not markup.
                await output.WriteAsync(update.Content).ConfigureAwait(false);
                await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (source.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            stopped = true;
        }
        catch (ChatClientException e)
        {
            failure = e.Message;
        }
        finally
        {
            interrupt.End(source);
        }

        if (reply.Length > 0)
        {
            if (reply[^1] != '\n')
                await output.WriteLineAsync().ConfigureAwait(false);
            _history.Add(new ChatMessage { Role = ChatRoles.Assistant, Content = reply.ToString() });
            await output.WriteLineAsync(style.Dim($"[{speed.Describe()}{(stopped ? " · stopped" : "")}]")).ConfigureAwait(false);
        }
        else
        {
            // Nothing came back: leave the question out of the history so that asking again does not send it twice.
            _history.RemoveAt(_history.Count - 1);
            if (stopped)
                await output.WriteLineAsync(style.Dim("[stopped]")).ConfigureAwait(false);
        }
        if (failure is not null)
            await error.WriteLineAsync(style.Error($"error: {failure}")).ConfigureAwait(false);
    }

    /// <summary>Tokens and decoding speed of one reply: usage when the server reports it, else one token per chunk.</summary>
    private sealed class ReplySpeed(TimeProvider time)
    {
        private int _chunks;
        private long _first;
        private long _last;

        public Usage? Usage { get; set; }

        public void Chunk()
        {
            _last = time.GetTimestamp();
            if (_chunks++ == 0)
                _first = _last;
        }

        public string Describe()
        {
            var tokens = Usage?.CompletionTokens ?? _chunks;
            var text = string.Create(CultureInfo.InvariantCulture, $"{tokens} token{(tokens == 1 ? "" : "s")}");
            // The first token waits for the prompt; the speed is that of the tokens after it.
            var seconds = time.GetElapsedTime(_first, _last).TotalSeconds;
            return tokens > 1 && seconds > 0
                ? text + string.Create(CultureInfo.InvariantCulture, $" · {(tokens - 1) / seconds:0.0} tok/s")
                : text;
        }
    }
}
