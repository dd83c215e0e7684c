using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Mote.Engine;
using Mote.Engine.Runtime;
using Mote.Gateway;
using Mote.Numerics.Threading;
using Mote.Tokenizers;

namespace Mote.Server.LocalModels.Scheduling;

/// <summary>
/// Continuous batching for one model on a dedicated thread. Requests arrive through a bounded channel and wait
/// there for a free slot; every step is one forward pass holding one decode row per generating sequence plus a
/// bounded chunk of prompt tokens of sequences still in prefill (so a long new prompt slows running streams for a
/// few steps instead of stalling them), after which each sequence samples its next token. Nothing on the HTTP side
/// runs per token: the thread writes each token to its request's channel.
/// </summary>
internal sealed partial class BatchScheduler : IDisposable
{
    /// <summary>Prompt rows a step takes even when decode rows fill the nominal chunk, so prefill always advances.</summary>
    private const int MinPrefillRows = 16;

    private readonly string _name;
    private readonly Model _model;
    private readonly Tokenizer _tokenizer;
    private readonly SchedulerSettings _settings;
    private readonly ForwardPass _forward;
    private readonly ForwardBatch _batch;
    private readonly CacheSlot[] _slots;
    private readonly float[] _logits;       // (slots, n_vocab) one row per sequence that sampled this step
    private readonly float[] _masked;       // (n_vocab) logits of a constrained sequence after its grammar mask
    private readonly int _vocabularySize;
    private readonly LogprobCalculator _logprobs;
    private readonly Channel<GenerationJob> _queue;
    private readonly List<Sequence> _active = [];
    private readonly List<Sequence> _logitOwners = [];
    private readonly List<(Sequence Sequence, int Start, int Count)> _prefills = [];
    private readonly LocalModelMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _step;
    private volatile int _activeCount;
    private volatile int _cachedTokens;
    private double _averageJobSeconds = 1;
    private readonly ManualResetEventSlim _running = new(initialState: true);
    private volatile bool _parked;

    public BatchScheduler(string name, Model model, byte[][] pieces, SchedulerSettings settings, WorkerPool pool,
        LocalModelMetrics metrics, TimeProvider time, ILogger logger)
    {
        _name = name;
        _model = model;
        _tokenizer = model.Tokenizer;
        _settings = settings;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _vocabularySize = model.HyperParameters.VocabularySize;
        var capacity = settings.Slots + Math.Max(settings.PrefillChunk, MinPrefillRows);
        _forward = new ForwardPass(model, capacity, pool);
        _batch = new ForwardBatch(capacity);
        _slots = new CacheSlot[settings.Slots];
        for (var i = 0; i < _slots.Length; i++)
            _slots[i] = new CacheSlot(i, _forward.CreateCache(settings.ContextLength, settings.CacheType));
        _logits = new float[settings.Slots * _vocabularySize];
        _masked = new float[_vocabularySize];
        _logprobs = new LogprobCalculator(pieces, _vocabularySize);
        _queue = Channel.CreateBounded<GenerationJob>(new BoundedChannelOptions(Math.Max(1, settings.QueueLength))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _thread = new Thread(Run) { IsBackground = true, Name = $"mote-scheduler {name}" };
        _thread.Start();
    }

    public SchedulerSettings Settings => _settings;

    public SchedulerStats Stats { get; } = new();

    /// <summary>Requests waiting for a slot.</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Sequences holding a slot.</summary>
    public int ActiveSequences => _activeCount;

    /// <summary>Positions filled across all slots' KV caches.</summary>
    public int CachedTokens => _cachedTokens;

    public long CacheCapacity => (long)_settings.Slots * _settings.ContextLength;

    /// <summary>Bytes of all KV caches.</summary>
    public long CacheBytes => _slots.Sum(s => s.Cache.ByteSize);

    /// <summary>
    /// Queues a job; false at once when the queue is full (the caller answers 429). The job's choices must not
    /// outnumber the slots.
    /// </summary>
    public bool TrySubmit(GenerationJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Settings.Choices > _slots.Length)
            throw new ArgumentException($"{job.Settings.Choices} choices for {_slots.Length} slots.", nameof(job));
        return _queue.Writer.TryWrite(job);
    }

    /// <summary>How long a refused client should wait: the queue ahead of it at the recent pace of requests.</summary>
    public TimeSpan RetryAfter
    {
        get
        {
            var seconds = Volatile.Read(ref _averageJobSeconds) * (QueueDepth + 1) / _slots.Length;
            return TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(seconds), 1, 60));
        }
    }

    private void Run()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!_running.IsSet)
                {
                    _parked = true;
                    _running.Wait(stop);
                    _parked = false;
                }
                Admit();
                if (_active.Count == 0)
                {
                    // Idle: park until a request arrives (or the channel closes at shutdown).
                    if (!_queue.Reader.WaitToReadAsync(stop).AsTask().GetAwaiter().GetResult())
                        break;
                    continue;
                }
                Reap();
                if (_active.Count > 0)
                    Step();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                LocalModelLog.SchedulerFailed(_logger, e, _name);
                FailActive(new ProviderException(FailureKind.ServerError, $"The local model '{_name}' failed: {e.Message}", e), clearCaches: true);
            }
            _activeCount = _active.Count;
        }
        FailActive(new ProviderException(FailureKind.Unavailable, $"The local model '{_name}' is shutting down."), clearCaches: false);
        while (_queue.Reader.TryRead(out var job))
            FailJob(job, new ProviderException(FailureKind.Unavailable, $"The local model '{_name}' is shutting down."));
    }

    /// <summary>
    /// Holds the scheduler before its next step (tests and maintenance): queued requests stay queued and running
    /// ones stop advancing until <see cref="Resume"/>. Only while paused may <see cref="ActiveJobs"/> be read.
    /// </summary>
    internal void Pause() => _running.Reset();

    internal void Resume() => _running.Set();

    /// <summary>True while the thread waits in <see cref="Pause"/>.</summary>
    internal bool IsParked => _parked;

    /// <summary>The jobs holding slots; read it only while paused.</summary>
    internal IReadOnlyList<GenerationJob> ActiveJobs => [.. _active.Select(s => s.Job).Distinct()];

    public void Dispose()
    {
        _stop.Cancel();
        _queue.Writer.TryComplete();
        if (Thread.CurrentThread != _thread)
            _thread.Join(TimeSpan.FromSeconds(30));
        _stop.Dispose();
        _running.Dispose();
    }
}
