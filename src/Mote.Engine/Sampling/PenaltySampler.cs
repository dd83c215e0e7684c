namespace Mote.Engine.Sampling;

/// <summary>
/// Repetition, frequency and presence penalties over the last <c>window</c> tokens, as llama.cpp's
/// <c>penalties</c> sampler: a repeated token's logit is divided by the repeat penalty (multiplied when
/// negative), then lowered by count·frequency + presence.
/// </summary>
internal sealed class PenaltySampler : ISampler
{
    private readonly float _repeat;
    private readonly float _frequency;
    private readonly float _presence;
    private readonly int[] _window;
    private readonly Dictionary<int, int> _counts = [];
    private int _next;
    private int _filled;

    public PenaltySampler(int window, float repeat, float frequency, float presence)
    {
        _window = new int[Math.Max(1, window)];
        _repeat = repeat;
        _frequency = frequency;
        _presence = presence;
    }

    public void Apply(Candidates candidates)
    {
        if (_counts.Count == 0)
            return;
        foreach (ref var c in candidates.Items)
        {
            if (!_counts.TryGetValue(c.Id, out var count))
                continue;
            c.Logit = c.Logit <= 0 ? c.Logit * _repeat : c.Logit / _repeat;
            c.Logit -= count * _frequency + _presence;
        }
    }

    public void Accept(int token)
    {
        if (_filled == _window.Length)
        {
            var evicted = _window[_next];
            if (--_counts[evicted] == 0)
                _counts.Remove(evicted);
        }
        else
        {
            _filled++;
        }
        _window[_next] = token;
        _next = (_next + 1) % _window.Length;
        _counts[token] = _counts.GetValueOrDefault(token) + 1;
    }

    public void Reset()
    {
        _counts.Clear();
        _next = _filled = 0;
    }
}
