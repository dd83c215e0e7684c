using System.Collections.Concurrent;

namespace Mote.Gateway.Keys;

/// <summary>
/// Requests-per-minute and tokens-per-minute per key over a sliding minute of one-second buckets. A request is
/// admitted while the key is under both limits; its tokens are added when it finishes.
/// </summary>
internal sealed class RateLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    public bool TryAcquire(KeyPrincipal key, out TimeSpan retryAfter, out string what)
    {
        retryAfter = TimeSpan.Zero;
        what = "";
        if (key.Rpm is null && key.Tpm is null)
            return true;
        var window = _windows.GetOrAdd(key.Id, _ => new Window());
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        lock (window)
        {
            window.Advance(second);
            if (key.Rpm is { } rpm && window.Sum(window.Requests) >= rpm)
            {
                what = $"{rpm} requests per minute";
                retryAfter = window.UntilBelow(window.Requests, rpm, second);
                return false;
            }
            if (key.Tpm is { } tpm && window.Sum(window.Tokens) >= tpm)
            {
                what = $"{tpm} tokens per minute";
                retryAfter = window.UntilBelow(window.Tokens, tpm, second);
                return false;
            }
            window.Requests[second % Window.Seconds]++;
            return true;
        }
    }

    public void AddTokens(string keyId, int tokens)
    {
        if (!_windows.TryGetValue(keyId, out var window))
            return;
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        lock (window)
        {
            window.Advance(second);
            window.Tokens[second % Window.Seconds] += tokens;
        }
    }

    private sealed class Window
    {
        public const int Seconds = 60;
        public readonly long[] Requests = new long[Seconds];
        public readonly long[] Tokens = new long[Seconds];
        private long _last = -1;

        /// <summary>Clears the buckets of seconds that slid out of the window since the last call.</summary>
        public void Advance(long now)
        {
            if (_last < 0 || now - _last >= Seconds)
            {
                Array.Clear(Requests);
                Array.Clear(Tokens);
            }
            else
            {
                for (var s = _last + 1; s <= now; s++)
                {
                    Requests[s % Seconds] = 0;
                    Tokens[s % Seconds] = 0;
                }
            }
            _last = Math.Max(_last, now);
        }

        public long Sum(long[] buckets)
        {
            long sum = 0;
            foreach (var value in buckets)
                sum += value;
            return sum;
        }

        /// <summary>How long until the oldest buckets expire enough to fall below <paramref name="limit"/>.</summary>
        public TimeSpan UntilBelow(long[] buckets, long limit, long now)
        {
            var total = Sum(buckets);
            for (var age = Seconds - 1; age >= 0; age--)
            {
                total -= buckets[(now - age) % Seconds];
                if (total < limit)
                    return TimeSpan.FromSeconds(Seconds - age);
            }
            return TimeSpan.FromSeconds(Seconds);
        }
    }
}
