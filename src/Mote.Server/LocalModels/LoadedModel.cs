using Microsoft.Extensions.Logging;
using Mote.Engine;
using Mote.Gateway;
using Mote.Numerics.Threading;
using Mote.Server.LocalModels.Json;
using Mote.Server.LocalModels.Scheduling;

namespace Mote.Server.LocalModels;

/// <summary>A model that finished loading: its weights, prompt formatter, per-token bytes and scheduler.</summary>
internal sealed class LoadedModel : IDisposable
{
    private readonly LocalModelMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly Lazy<TokenTrie> _trie;

    public LoadedModel(string name, Model model, LocalModelOptions options, LocalModelMetrics metrics, TimeProvider time, ILogger logger)
    {
        Name = name;
        Model = model;
        _metrics = metrics;
        _time = time;
        _timeout = options.RequestTimeout;
        var trained = model.HyperParameters.ContextLength;
        ContextLength = options.ContextLength > 0 ? options.ContextLength : Math.Min(trained, Engine.Runtime.SessionOptions.DefaultContextLength);
        if (ContextLength > trained)
            throw new ArgumentOutOfRangeException(nameof(options), $"--ctx {ContextLength} exceeds the model's trained context of {trained} tokens.");
        Slots = Math.Max(1, options.Parallel);
        VocabularySize = model.HyperParameters.VocabularySize;
        Formatter = new PromptFormatter(model, name, logger);
        Pieces = new byte[VocabularySize][];
        for (var id = 0; id < VocabularySize; id++)
            Pieces[id] = model.Tokenizer.GetPiece(id).ToArray();
        _trie = new Lazy<TokenTrie>(() => TokenTrie.Build(model.Tokenizer, VocabularySize));
        var settings = new SchedulerSettings(Slots, ContextLength, Math.Max(1, options.PrefillChunk), Math.Max(1, options.QueueLength), options.CacheType);
        Scheduler = new BatchScheduler(name, model, Pieces, settings, options.Pool ?? WorkerPool.Default, metrics, time, logger);
        metrics.Register(name, Scheduler);
    }

    public string Name { get; }

    public Model Model { get; }

    public int ContextLength { get; }

    public int Slots { get; }

    public int VocabularySize { get; }

    public PromptFormatter Formatter { get; }

    /// <summary>The bytes each token id spells (empty for control tokens).</summary>
    public byte[][] Pieces { get; }

    /// <summary>The token prefix tree for constrained decoding, built on first use.</summary>
    public TokenTrie Trie => _trie.Value;

    public BatchScheduler Scheduler { get; }

    /// <summary>Queues a job; throws the 429-classified <see cref="ProviderException"/> when the queue is full.</summary>
    public GenerationJob Submit(int[] prompt, GenerationSettings settings)
    {
        var now = _time.GetTimestamp();
        var deadline = now + (long)(_timeout.TotalSeconds * _time.TimestampFrequency);
        var job = new GenerationJob(prompt, settings, deadline, now);
        if (!Scheduler.TrySubmit(job))
        {
            _metrics.Request(Name, "rejected");
            throw LocalErrors.Overloaded(Name, Slots, Scheduler.QueueDepth, Scheduler.RetryAfter);
        }
        return job;
    }

    public void Dispose()
    {
        _metrics.Unregister(Name);
        Scheduler.Dispose();
        Model.Dispose();
    }
}
