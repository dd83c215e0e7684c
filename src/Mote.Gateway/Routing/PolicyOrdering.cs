namespace Mote.Gateway.Routing;

/// <summary>Stable ascending ordering of targets by one number, shared by the deterministic policies.</summary>
internal static class PolicyOrdering
{
    public static void ByKey(IReadOnlyList<IRouteNode> targets, Span<int> order, Func<IRouteNode, double> key)
    {
        Span<double> keys = targets.Count <= 32 ? stackalloc double[targets.Count] : new double[targets.Count];
        for (var i = 0; i < targets.Count; i++)
        {
            order[i] = i;
            keys[i] = key(targets[i]);
        }
        // Insertion sort: stable, and groups hold a handful of targets.
        for (var i = 1; i < keys.Length; i++)
        {
            var k = keys[i];
            var o = order[i];
            var j = i - 1;
            while (j >= 0 && keys[j] > k)
            {
                keys[j + 1] = keys[j];
                order[j + 1] = order[j];
                j--;
            }
            keys[j + 1] = k;
            order[j + 1] = o;
        }
    }
}
