using System.Threading.Channels;

namespace Mote.Server.LocalModels.Scheduling;

/// <summary>
/// One request handed to the scheduler: a tokenized prompt, its settings, and the channel on which the scheduler
/// thread reports tokens. The HTTP side reads the channel; cancelling (client gone, consumer stopped) only sets a
/// flag that the scheduler checks before every step, so a slot is freed within one decode step.
/// </summary>
internal sealed class GenerationJob
{
    private readonly Channel<SequenceEvent> _events =
        Channel.CreateUnbounded<SequenceEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private volatile bool _cancelled;

    public GenerationJob(int[] prompt, GenerationSettings settings, long deadlineTimestamp, long createdTimestamp)
    {
        Prompt = prompt;
        Settings = settings;
        DeadlineTimestamp = deadlineTimestamp;
        CreatedTimestamp = createdTimestamp;
    }

    public int[] Prompt { get; }

    public GenerationSettings Settings { get; }

    /// <summary>When the per-request time limit runs out (<see cref="TimeProvider"/> timestamp).</summary>
    public long DeadlineTimestamp { get; }

    /// <summary>When the request was queued, for time to first token.</summary>
    public long CreatedTimestamp { get; }

    /// <summary>Prompt tokens whose KV entries were already in the slot (prefix reuse); set on admission.</summary>
    public int ReusedPromptTokens { get; set; }

    /// <summary>Choices still generating; the scheduler completes the channel when it reaches zero.</summary>
    public int Running { get; set; }

    public bool IsCancelled => _cancelled;

    public ChannelReader<SequenceEvent> Events => _events.Reader;

    internal ChannelWriter<SequenceEvent> Writer => _events.Writer;

    /// <summary>Asks the scheduler to stop this job and free its slots (safe from any thread, any number of times).</summary>
    public void Cancel() => _cancelled = true;
}
