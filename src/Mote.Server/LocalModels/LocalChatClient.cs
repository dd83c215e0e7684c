using System.Runtime.CompilerServices;
using System.Text;
using Mote.Contracts;
using Mote.Gateway;
using Mote.Server.LocalModels.Scheduling;

namespace Mote.Server.LocalModels;

/// <summary>
/// The gateway's view of a local model: builds the prompt and settings, queues a job on the model's scheduler and
/// turns the tokens it reports into an OpenAI response or stream. A cancelled call (client gone) cancels the job,
/// which frees its slot before the next decode step.
/// </summary>
internal sealed class LocalChatClient(LocalModelHost host) : IChatCompletionClient, IReadinessProbe
{
    public ValueTask<bool> IsReadyAsync(CancellationToken cancellationToken) => ValueTask.FromResult(host.IsReady);

    public async Task<ChatCompletionResponse> CompleteAsync(ChatCompletionRequest request, CancellationToken cancellationToken)
    {
        var model = host.Get();
        var (prompt, settings) = RequestPlanner.ForChat(model, request);
        var job = model.Submit(prompt, settings);
        using var registration = cancellationToken.Register(job.Cancel);
        var text = new StringBuilder[settings.Choices];
        var logprobs = new List<TokenLogprob>?[settings.Choices];
        var finish = new string?[settings.Choices];
        var completionTokens = 0;
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = new StringBuilder();
            logprobs[i] = settings.Logprobs ? [] : null;
        }
        try
        {
            await foreach (var e in job.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (e.Error is { } error)
                    throw error;
                text[e.Choice].Append(e.Text);
                if (e.FinishReason is { } reason)
                {
                    finish[e.Choice] = reason;
                    continue;
                }
                completionTokens++;
                if (e.Logprob is { } logprob)
                    logprobs[e.Choice]!.Add(logprob);
            }
        }
        finally
        {
            job.Cancel();
        }
        cancellationToken.ThrowIfCancellationRequested();

        var choices = new ChatChoice[text.Length];
        for (var i = 0; i < choices.Length; i++)
        {
            choices[i] = new ChatChoice
            {
                Index = i,
                Message = new ChatMessage { Role = ChatRoles.Assistant, Content = text[i].ToString() },
                FinishReason = finish[i] ?? FinishReasons.Stop,
                Logprobs = logprobs[i] is { } list ? new ChoiceLogprobs { Content = list } : null,
            };
        }
        return new ChatCompletionResponse
        {
            Id = NewId(),
            Created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            Model = request.Model ?? host.Name,
            Choices = choices,
            Usage = Usage.Of(prompt.Length, completionTokens),
        };
    }

    public async IAsyncEnumerable<ChatCompletionChunk> StreamAsync(
        ChatCompletionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var model = host.Get();
        var (prompt, settings) = RequestPlanner.ForChat(model, request);
        var job = model.Submit(prompt, settings);
        using var registration = cancellationToken.Register(job.Cancel);
        var id = NewId();
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var name = request.Model ?? host.Name;
        var completionTokens = 0;
        try
        {
            // OpenAI opens every choice with the role and empty content.
            var opening = new ChunkChoice[settings.Choices];
            for (var i = 0; i < opening.Length; i++)
                opening[i] = new ChunkChoice { Index = i, Delta = new ChatDelta { Role = ChatRoles.Assistant, Content = "" } };
            yield return Chunk(id, created, name, opening);

            await foreach (var e in job.Events.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (e.Error is { } error)
                    throw error;
                if (e.FinishReason is null)
                    completionTokens++;
                if (e.Text.Length > 0 || e.Logprob is not null)
                {
                    yield return Chunk(id, created, name, [new ChunkChoice
                    {
                        Index = e.Choice,
                        Delta = new ChatDelta { Content = e.Text },
                        Logprobs = e.Logprob is { } logprob ? new ChoiceLogprobs { Content = [logprob] } : null,
                    }]);
                }
                if (e.FinishReason is { } reason)
                    yield return Chunk(id, created, name, [new ChunkChoice { Index = e.Choice, Delta = new ChatDelta(), FinishReason = reason }]);
            }
            cancellationToken.ThrowIfCancellationRequested();
            // Usage always travels on a last chunk without choices; the gateway decides whether the client sees it.
            yield return new ChatCompletionChunk
            {
                Id = id,
                Created = created,
                Model = name,
                Choices = [],
                Usage = Usage.Of(prompt.Length, completionTokens),
            };
        }
        finally
        {
            job.Cancel();
        }
    }

    private static ChatCompletionChunk Chunk(string id, long created, string model, IReadOnlyList<ChunkChoice> choices) =>
        new() { Id = id, Created = created, Model = model, Choices = choices };

    private static string NewId() => RandomIds.New("chatcmpl-", 24);
}
