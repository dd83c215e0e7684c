using System.Globalization;

namespace Mote.Gateway.Cascade;

/// <summary>The judgement of one cascade tier's answer.</summary>
internal readonly record struct Verdict(bool Accepted, double? MeanLogprob, double? MinLogprob, bool? JsonValid, string Reason)
{
    /// <summary><c>key=value</c> pairs for the route header, prefixed by the tier.</summary>
    public IEnumerable<string> Describe(int tier, string deployment)
    {
        var prefix = $"tier{tier}";
        yield return $"{prefix}={deployment}";
        yield return $"{prefix}_decision={(Accepted ? "accept" : "escalate")}";
        if (MeanLogprob is { } mean)
            yield return $"{prefix}_mean_logprob={mean.ToString("0.####", CultureInfo.InvariantCulture)}";
        if (MinLogprob is { } min)
            yield return $"{prefix}_min_logprob={min.ToString("0.####", CultureInfo.InvariantCulture)}";
        if (JsonValid is { } json)
            yield return $"{prefix}_json={(json ? "valid" : "invalid")}";
        if (!Accepted)
            yield return $"{prefix}_reason={Reason}";
    }
}
