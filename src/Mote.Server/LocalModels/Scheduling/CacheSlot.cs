using Mote.Engine.Runtime;

namespace Mote.Server.LocalModels.Scheduling;

/// <summary>
/// One of the scheduler's <c>--parallel</c> sequence slots: a KV cache and the token ids whose keys and values it
/// holds, in position order. A finished conversation's tokens stay, so that the next request sharing a prefix (the
/// next turn of a chat) only computes what is new.
/// </summary>
internal sealed class CacheSlot(int index, KvCache cache)
{
    public int Index { get; } = index;

    public KvCache Cache { get; } = cache;

    /// <summary>Token ids at positions 0…Count−1 of the cache.</summary>
    public List<int> Tokens { get; } = [];

    /// <summary>The sequence using the slot, or null when it is free.</summary>
    public Sequence? Owner { get; set; }

    /// <summary>Step at which the slot was last released (least recently used slots are reused first).</summary>
    public long LastUsed { get; set; }

    /// <summary>Length of the common prefix of the cached tokens and <paramref name="prompt"/>.</summary>
    public int CommonPrefix(ReadOnlySpan<int> prompt)
    {
        var n = Math.Min(Tokens.Count, prompt.Length);
        var i = 0;
        while (i < n && Tokens[i] == prompt[i])
            i++;
        return i;
    }

    /// <summary>Forgets cached positions from <paramref name="length"/> on.</summary>
    public void Truncate(int length)
    {
        if (length < Tokens.Count)
            Tokens.RemoveRange(length, Tokens.Count - length);
    }

    /// <summary>Takes over the first <paramref name="length"/> positions of another slot (choices of one prompt).</summary>
    public void CopyPrefixFrom(CacheSlot source, int length)
    {
        Cache.CopyPrefixFrom(source.Cache, length);
        Tokens.Clear();
        for (var i = 0; i < length; i++)
            Tokens.Add(source.Tokens[i]);
    }
}
