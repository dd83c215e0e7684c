using Mote.Gateway;

namespace Mote.Server.LocalModels.Scheduling;

/// <summary>Taking jobs into slots (with prefix reuse), and letting them go.</summary>
internal sealed partial class BatchScheduler
{
    /// <summary>Moves queued jobs into free slots, first come first served, while enough slots are free.</summary>
    private void Admit()
    {
        var reader = _queue.Reader;
        // Paused (tests) admits nothing, even when the pause came after this iteration's check at the loop's top:
        // a test that pauses, then queues requests, must find them queued.
        while (_running.IsSet && reader.TryPeek(out var job))
        {
            if (job.IsCancelled)
            {
                reader.TryRead(out _);
                job.Writer.TryComplete();
                _metrics.Request(_name, "cancelled");
                continue;
            }
            if (_time.GetTimestamp() > job.DeadlineTimestamp)
            {
                reader.TryRead(out _);
                FailJob(job, TimedOut());
                continue;
            }
            var free = 0;
            foreach (var slot in _slots)
                if (slot.Owner is null)
                    free++;
            if (free < job.Settings.Choices)
                return;
            reader.TryRead(out _);
            Start(job);
        }
    }

    /// <summary>
    /// Gives the job's first choice the free slot whose cached tokens share the longest prefix with the prompt (the
    /// earlier turns of a conversation), keeping those positions and prefilling only the rest; other choices take
    /// the least recently used slots and copy the prompt's cache when it is ready.
    /// </summary>
    private void Start(GenerationJob job)
    {
        var prompt = job.Prompt;
        var (best, bestPrefix) = ChooseSlot(prompt);
        best.Truncate(bestPrefix);
        var leader = new Sequence(job, 0, best, _tokenizer, _vocabularySize)
        {
            Phase = SequencePhase.Prefill,
            PromptCursor = bestPrefix,
            LastTokenTimestamp = job.CreatedTimestamp,
        };
        Take(best, leader);
        job.ReusedPromptTokens = bestPrefix;
        Stats.Prompt(0, bestPrefix);
        _metrics.Prompt(_name, 0, bestPrefix);

        for (var choice = 1; choice < job.Settings.Choices; choice++)
        {
            var slot = LeastRecentlyUsedFree();
            slot.Truncate(0);
            Take(slot, new Sequence(job, choice, slot, _tokenizer, _vocabularySize)
            {
                Phase = SequencePhase.AwaitingPrompt,
                LastTokenTimestamp = job.CreatedTimestamp,
            });
        }
        job.Running = job.Settings.Choices;
        _activeCount = _active.Count;
    }

    /// <summary>
    /// The free slot worth continuing: the longest shared prefix among slots that would keep at least half of what
    /// they cache (as llama.cpp's slot similarity), so that a shared system prompt or template header does not wipe
    /// out another conversation's history while an idle slot is free; otherwise the least recently used slot.
    /// </summary>
    private (CacheSlot Slot, int Prefix) ChooseSlot(int[] prompt)
    {
        CacheSlot? best = null;
        var bestPrefix = 0;
        foreach (var slot in _slots)
        {
            if (slot.Owner is not null)
                continue;
            // The last prompt token is always computed: its logits give the first generated token.
            var prefix = Math.Min(slot.CommonPrefix(prompt), prompt.Length - 1);
            if (prefix > bestPrefix && 2 * prefix >= slot.Tokens.Count)
                (best, bestPrefix) = (slot, prefix);
        }
        if (best is not null)
            return (best, bestPrefix);
        var lru = LeastRecentlyUsedFree();
        return (lru, Math.Min(lru.CommonPrefix(prompt), prompt.Length - 1));
    }

    private void Take(CacheSlot slot, Sequence sequence)
    {
        slot.Owner = sequence;
        _active.Add(sequence);
    }

    private CacheSlot LeastRecentlyUsedFree()
    {
        CacheSlot? found = null;
        foreach (var slot in _slots)
            if (slot.Owner is null && (found is null || slot.LastUsed < found.LastUsed))
                found = slot;
        return found!;
    }

    /// <summary>Before each step: frees the slots of cancelled jobs and fails jobs past their time limit.</summary>
    private void Reap()
    {
        var now = _time.GetTimestamp();
        foreach (var sequence in _active)
        {
            if (sequence.Finished)
                continue;
            var job = sequence.Job;
            if (job.IsCancelled)
            {
                Release(sequence);
                if (job.Running == 0)
                {
                    job.Writer.TryComplete();
                    _metrics.Request(_name, "cancelled");
                }
            }
            else if (now > job.DeadlineTimestamp)
            {
                Release(sequence);
                if (job.Running == 0)
                    FailJob(job, TimedOut());
            }
        }
        _active.RemoveAll(static s => s.Finished);
    }

    /// <summary>Ends a choice: flushes its held-back text with the finish reason and frees its slot.</summary>
    private void Finish(Sequence sequence, string reason)
    {
        if (sequence.Finished)
            return;
        var tail = sequence.Stops.Push(sequence.Decoder.Flush());
        tail += sequence.Stops.Flush();
        var job = sequence.Job;
        job.Writer.TryWrite(SequenceEvent.Finished(sequence.Choice, tail, reason));
        Release(sequence);
        if (job.Running == 0)
        {
            job.Writer.TryComplete();
            _metrics.Request(_name, reason);
            var seconds = _time.GetElapsedTime(job.CreatedTimestamp).TotalSeconds;
            Volatile.Write(ref _averageJobSeconds, 0.8 * _averageJobSeconds + 0.2 * seconds);
        }
    }

    private void Release(Sequence sequence)
    {
        sequence.Finished = true;
        sequence.Slot.Owner = null;
        sequence.Slot.LastUsed = _step;
        sequence.Job.Running--;
    }

    private void FailActive(ProviderException error, bool clearCaches)
    {
        foreach (var sequence in _active)
        {
            if (sequence.Finished)
                continue;
            if (clearCaches)
                sequence.Slot.Truncate(0);
            Release(sequence);
            if (sequence.Job.Running == 0)
                FailJob(sequence.Job, error);
        }
        _active.Clear();
    }

    private void FailJob(GenerationJob job, ProviderException error)
    {
        job.Writer.TryWrite(SequenceEvent.Failed(error));
        job.Writer.TryComplete();
        _metrics.Request(_name, error.Kind == FailureKind.Timeout ? "timeout" : "error");
    }

    private ProviderException TimedOut() =>
        new(FailureKind.Timeout, $"The request to local model '{_name}' ran past its time limit.");
}
