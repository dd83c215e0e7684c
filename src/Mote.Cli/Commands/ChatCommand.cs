using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Mote.Cli.Chat;
using Mote.Gateway.Configuration;

namespace Mote.Cli.Commands;

/// <summary>
/// <c>mote chat [--model FILE|ALIAS] [--url URL] [--system TEXT] [--max-tokens N]</c>: a terminal chat that streams replies. With
/// <c>--url</c> it talks to a running server; otherwise it serves <c>--model</c> in-process on a loopback port.
/// </summary>
internal static class ChatCommand
{
    public const string ApiKeyVariable = "MOTE_API_KEY";

    public static Command Create()
    {
        var model = new Option<string?>("--model") { Description = "GGUF file or alias to chat with in-process; with --url, the model name on that server" };
        var url = new Option<string?>("--url") { Description = "Chat with a running OpenAI-compatible server instead (e.g. http://127.0.0.1:8080)" };
        var system = new Option<string?>("--system") { Description = "System prompt (change it later with /system TEXT)" };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Longest reply, in tokens (default: the server's limit)" };
        var apiKey = new Option<string?>("--api-key") { Description = $"Bearer key for --url (default: ${ApiKeyVariable})" };

        var command = new Command("chat", "Chat in the terminal with a local model or a running server; replies stream as they are generated");
        command.Options.Add(model);
        command.Options.Add(url);
        command.Options.Add(system);
        command.Options.Add(maxTokens);
        command.Options.Add(apiKey);
        // A synchronous action on purpose: System.CommandLine answers Ctrl+C by cancelling an asynchronous action
        // (and ending it after a timeout), but here Ctrl+C must stop only the reply in progress.
        command.SetAction(result =>
        {
            var options = new ChatOptions
            {
                Model = result.GetValue(model),
                Url = result.GetValue(url),
                System = result.GetValue(system),
                MaxTokens = result.GetValue(maxTokens),
                ApiKey = result.GetValue(apiKey) ?? Environment.GetEnvironmentVariable(ApiKeyVariable),
            };
            var output = result.InvocationConfiguration.Output;
            var interrupt = new ReplyInterrupt();
            // Ctrl+C stops the reply being streamed; at the prompt it quits as usual.
            using var signal = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = interrupt.TryInterrupt());
            var style = ChatStyle.For(Console.IsOutputRedirected || !ReferenceEquals(output, Console.Out));
            return RunAsync(options, Console.In, output, result.InvocationConfiguration.Error, style, interrupt, CancellationToken.None)
                .GetAwaiter().GetResult();
        });
        return command;
    }

    /// <summary>Runs the chat until /exit or the end of <paramref name="input"/>. Setup failures are one line on stderr, exit code 1.</summary>
    internal static async Task<int> RunAsync(ChatOptions options, TextReader input, TextWriter output, TextWriter error, ChatStyle style,
        ReplyInterrupt interrupt, CancellationToken cancellationToken)
    {
        if (options.Url is null && string.IsNullOrWhiteSpace(options.Model))
        {
            await error.WriteLineAsync("error: say what to chat with: --model FILE|ALIAS (runs it here) or --url URL (a running mote serve).")
                .ConfigureAwait(false);
            return 1;
        }
        return await UserErrors.RunAsync(error, async () =>
        {
            EmbeddedServer? server = null;
            try
            {
                if (options.Url is null && LooksLikeFile(options.Model!) && !File.Exists(options.Model))
                    throw new FileNotFoundException($"Model file not found: {options.Model}");
                server = options.Url is null ? await EmbeddedServer.StartAsync(options.Model!, output, cancellationToken).ConfigureAwait(false) : null;
                var url = options.Url ?? server!.Url;
                // A reply the user stopped is abandoned mid-stream: close its connection at once (no drain of up to
                // 1 MB / 2 s, the handler's default), so the server sees the disconnect and stops generating.
                using var handler = new SocketsHttpHandler { MaxResponseDrainSize = 0 };
                using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = OpenAiChatClient.ApiRoot(url), Timeout = Timeout.InfiniteTimeSpan };
                var client = new OpenAiChatClient(http, options.ApiKey);
                var model = await ChooseModelAsync(client, options.Url is null ? null : options.Model, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(style.Dim($"mote chat · {model} · {url}")).ConfigureAwait(false);
                var session = new ChatSession(client, model, output, error, style) { SystemPrompt = options.System, MaxTokens = options.MaxTokens };
                return await session.RunAsync(input, interrupt, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ChatClientException or GatewayConfigException or OptionsValidationException)
            {
                await error.WriteLineAsync($"error: {Message(e)}").ConfigureAwait(false);
                return 1;
            }
            finally
            {
                if (server is not null)
                    await server.DisposeAsync().ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
    }

    /// <summary>The model named, checked against the server's list when it has one; else the server's first model.</summary>
    private static async Task<string> ChooseModelAsync(OpenAiChatClient client, string? requested, CancellationToken cancellationToken)
    {
        var models = await client.ListModelsAsync(cancellationToken).ConfigureAwait(false);
        if (requested is not null)
        {
            if (models.Count > 0 && !models.Contains(requested, StringComparer.Ordinal))
                throw new ChatClientException($"The server has no model '{requested}'; it offers: {string.Join(", ", models)}.");
            return requested;
        }
        return models.Count > 0 ? models[0] : throw new ChatClientException("The server offers no models; pass --model NAME.");
    }

    private static bool LooksLikeFile(string model) => !model.StartsWith("hf:", StringComparison.Ordinal) &&
        (model.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) || model.Contains('/', StringComparison.Ordinal) || model.Contains('\\', StringComparison.Ordinal));

    private static string Message(Exception e) => e is OptionsValidationException validation ? string.Join(Environment.NewLine, validation.Failures) : e.Message;
}
