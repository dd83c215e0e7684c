using Mote.Contracts;

namespace Mote.Server.LocalModels.Scheduling;

/// <summary>One forward step over every running sequence, then one sample per sequence that has logits.</summary>
internal sealed partial class BatchScheduler
{
    private void Step()
    {
        _step++;
        _batch.Clear();
        _logitOwners.Clear();
        _prefills.Clear();
        var sequences = 0;

        // Decode rows first: one per generating sequence, its last token at the next position.
        foreach (var sequence in _active)
        {
            if (sequence.Phase != SequencePhase.Decode)
                continue;
            _batch.Add(sequence.LastToken, sequence.Slot.Tokens.Count, sequence.Slot.Cache, wantsLogits: true);
            _logitOwners.Add(sequence);
            sequences++;
        }

        // Then prompt tokens, oldest request first, up to the step's budget.
        var budget = Math.Min(_batch.Capacity - _batch.Count, Math.Max(_settings.PrefillChunk - _batch.Count, MinPrefillRows));
        foreach (var sequence in _active)
        {
            if (budget == 0)
                break;
            if (sequence.Phase != SequencePhase.Prefill)
                continue;
            var prompt = sequence.Job.Prompt;
            var start = sequence.PromptCursor;
            var count = Math.Min(prompt.Length - start, budget);
            var position = sequence.Slot.Tokens.Count;
            for (var k = 0; k < count; k++)
            {
                var last = start + k == prompt.Length - 1;
                _batch.Add(prompt[start + k], position + k, sequence.Slot.Cache, wantsLogits: last);
                if (last)
                    _logitOwners.Add(sequence);
            }
            _prefills.Add((sequence, start, count));
            budget -= count;
            sequences++;
        }

        _forward.Run(_batch, _logits);

        // The caches now hold these tokens.
        foreach (var sequence in _active)
            if (sequence.Phase == SequencePhase.Decode)
                sequence.Slot.Tokens.Add(sequence.LastToken);
        var evaluated = 0;
        foreach (var (sequence, start, count) in _prefills)
        {
            sequence.Slot.Tokens.AddRange(sequence.Job.Prompt.AsSpan(start, count));
            sequence.PromptCursor += count;
            evaluated += count;
        }
        Stats.Step(sequences);
        Stats.Prompt(evaluated, 0);
        _metrics.Step(_name, sequences > 1);
        _metrics.Prompt(_name, evaluated, 0);

        for (var row = 0; row < _logitOwners.Count; row++)
        {
            var sequence = _logitOwners[row];
            var logits = _logits.AsSpan(row * _vocabularySize, _vocabularySize);
            if (sequence.Phase == SequencePhase.Prefill)
            {
                sequence.Phase = SequencePhase.Decode;
                StartOtherChoices(sequence, logits);
            }
            Sample(sequence, logits);
        }
        _active.RemoveAll(static s => s.Finished);

        var cached = 0;
        foreach (var slot in _slots)
            cached += slot.Tokens.Count;
        _cachedTokens = cached;
    }

    /// <summary>The prompt is in the first choice's cache: the other choices copy it and sample from the same logits.</summary>
    private void StartOtherChoices(Sequence leader, ReadOnlySpan<float> logits)
    {
        if (leader.Job.Settings.Choices == 1)
            return;
        foreach (var other in _active)
        {
            if (other.Job != leader.Job || other.Phase != SequencePhase.AwaitingPrompt || other.Finished)
                continue;
            other.Slot.CopyPrefixFrom(leader.Slot, leader.Job.Prompt.Length);
            other.Phase = SequencePhase.Decode;
            Sample(other, logits);
        }
    }

    private void Sample(Sequence sequence, ReadOnlySpan<float> logits)
    {
        var settings = sequence.Job.Settings;
        var slot = sequence.Slot;
        var tokensLeft = Math.Min(settings.MaxTokens - sequence.Generated, _settings.ContextLength - slot.Tokens.Count);
        if (tokensLeft <= 0)
        {
            Finish(sequence, FinishReasons.Length);
            return;
        }

        var choices = logits;
        if (sequence.Constraint is { } constraint)
        {
            logits.CopyTo(_masked);
            if (!constraint.Mask(_masked, tokensLeft))
            {
                Finish(sequence, FinishReasons.Stop);
                return;
            }
            choices = _masked;
        }
        var token = sequence.Sampler.Sample(choices);
        if (!settings.IgnoreEndOfGeneration && _tokenizer.IsEndOfGeneration(token))
        {
            Finish(sequence, FinishReasons.Stop);
            return;
        }
        sequence.Constraint?.Accept(token);

        sequence.Generated++;
        Stats.Generated();
        _metrics.Generated(_name);
        var now = _time.GetTimestamp();
        var seconds = _time.GetElapsedTime(sequence.LastTokenTimestamp, now).TotalSeconds;
        if (sequence.Generated == 1)
            _metrics.FirstToken(_name, seconds);
        else
            _metrics.NextToken(_name, seconds);
        sequence.LastTokenTimestamp = now;

        var logprob = settings.Logprobs ? _logprobs.Compute(logits, token, settings.TopLogprobs) : null;
        var text = sequence.Stops.Push(sequence.Decoder.Append(token));
        sequence.Job.Writer.TryWrite(SequenceEvent.Token(sequence.Choice, text, logprob));

        if (sequence.Stops.Stopped || sequence.Constraint?.IsDone == true)
            Finish(sequence, FinishReasons.Stop);
        else if (sequence.Generated >= settings.MaxTokens || slot.Tokens.Count >= _settings.ContextLength)
            Finish(sequence, FinishReasons.Length);
        else
            sequence.LastToken = token;
    }
}
