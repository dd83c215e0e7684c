namespace Mote.Server.LocalModels.Json;

/// <summary>
/// The fewest bytes that can still complete the text: the budget guard that keeps a constrained answer valid even
/// when it is about to run out of tokens (each allowed token must leave a completion that fits what remains).
/// </summary>
internal sealed partial class JsonAutomaton
{
    /// <summary>Bytes of the shortest way to finish the JSON text from here (0 when it may end now).</summary>
    public int MinRemaining()
    {
        long total = 0;
        for (var i = 0; i < _depth; i++)
            total += FrameRemaining(i);
        return (int)Math.Min(int.MaxValue / 4, total);
    }

    private long FrameRemaining(int i)
    {
        var frame = _stack[i];
        var nodes = _grammar.Nodes;
        switch (frame.Kind)
        {
            case FrameKind.Value:
                return nodes[frame.Node].MinLength;
            case FrameKind.Object:
                return nodes[frame.Node].IsListedObject ? ListedObjectRemaining(i, frame, nodes[frame.Node]) : FreeObjectRemaining(frame);
            case FrameKind.Array:
                return ArrayRemaining(frame, nodes[frame.Node]);
            case FrameKind.String:
                return frame.State switch
                {
                    StringState.Normal => 1,
                    StringState.Escape => 2,
                    < StringState.Continuation1 => frame.State - StringState.Hex1 + 2,
                    _ => frame.State - StringState.Continuation1 + 2,
                };
            case FrameKind.Number:
                return NumberState.IsComplete(frame.State) ? 0 : 1;
            default:
                // A key is accounted for by its object, which knows what each candidate key leads to.
                return frame.State == 1 ? 0 : LiteralRemaining(frame);
        }
    }

    private long LiteralRemaining(in JsonFrame frame)
    {
        var set = _grammar.LiteralSets[frame.Count];
        var best = int.MaxValue;
        for (var mask = frame.Mask; mask != 0; mask &= mask - 1)
            best = Math.Min(best, set[System.Numerics.BitOperations.TrailingZeroCount(mask)].Length - frame.Pos);
        return best;
    }

    private static long FreeObjectRemaining(in JsonFrame frame) => frame.State switch
    {
        ObjectState.AfterOpen => 1,                              // }
        ObjectState.InKey or ObjectState.AfterKey => 3,          // :0}
        ObjectState.AfterColon => 2,                             // 0}
        ObjectState.AfterComma => 5,                             // "":0}
        _ => 1,                                                  // }
    };

    private long ListedObjectRemaining(int i, in JsonFrame frame, JsonSchemaNode node)
    {
        var keys = _grammar.LiteralSets[node.KeySet];
        var nodes = _grammar.Nodes;
        switch (frame.State)
        {
            case ObjectState.AfterOpen:
                return Members(node, frame.Count, hasMembers: false);
            case ObjectState.InKey:
            {
                var key = _stack[i + 1];
                long best = long.MaxValue;
                for (var mask = key.Mask; mask != 0; mask &= mask - 1)
                {
                    var k = System.Numerics.BitOperations.TrailingZeroCount(mask);
                    best = Math.Min(best, keys[k].Length - key.Pos + 1 + nodes[node.PropertyNodes[k]].MinLength + Members(node, k + 1, true));
                }
                return best;
            }
            case ObjectState.AfterKey:
                return 1 + nodes[node.PropertyNodes[frame.Count - 1]].MinLength + Members(node, frame.Count, true);
            case ObjectState.AfterColon:
                return nodes[node.PropertyNodes[frame.Count - 1]].MinLength + Members(node, frame.Count, true);
            case ObjectState.AfterComma:
            {
                // A comma was written: one more member must follow, an optional one if it is shorter.
                long best = long.MaxValue;
                var last = Math.Min(node.NextRequired[frame.Count], node.PropertyNodes.Length - 1);
                for (var k = frame.Count; k <= last; k++)
                    best = Math.Min(best, keys[k].Length + 1 + nodes[node.PropertyNodes[k]].MinLength + Members(node, k + 1, true));
                return best;
            }
            default:
                return Members(node, frame.Count, hasMembers: true);
        }
    }

    /// <summary>The required members from property <paramref name="from"/> on, their commas, and the closing brace.</summary>
    private static long Members(JsonSchemaNode node, int from, bool hasMembers)
    {
        var count = node.RequiredSuffixCount[from];
        var commas = hasMembers ? count : Math.Max(0, count - 1);
        return node.RequiredSuffixBytes[from] + (long)commas + 1;
    }

    private long ArrayRemaining(in JsonFrame frame, JsonSchemaNode node)
    {
        long item = _grammar.Nodes[node.Items].MinLength;
        switch (frame.State)
        {
            case ArrayState.AfterOpen:
                return node.MinItems == 0 ? 1 : node.MinItems * item + (node.MinItems - 1) + 1;
            case ArrayState.AfterComma:
            {
                var more = Math.Max(1, node.MinItems - frame.Count);
                return item + (more - 1) * (1 + item) + 1;
            }
            default:
            {
                var more = Math.Max(0, node.MinItems - frame.Count);
                return more * (1 + item) + 1;
            }
        }
    }
}
