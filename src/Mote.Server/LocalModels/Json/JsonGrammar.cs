using System.Text;

namespace Mote.Server.LocalModels.Json;

/// <summary>
/// What a constrained answer must be: a compiled JSON schema (or "any JSON object" for <c>json_object</c>) as a
/// table of nodes plus the literal sets (keys, enum values, keywords) the automaton matches byte by byte.
/// Immutable once built; one per request, shared by that request's sequences.
/// </summary>
internal sealed class JsonGrammar
{
    /// <summary>Node 0 accepts any JSON value.</summary>
    public const int AnyNode = 0;

    /// <summary>Literal set 0: <c>true</c>, <c>false</c>, <c>null</c>.</summary>
    public const int KeywordSet = 0;

    public const ulong BooleanMask = 0b011;
    public const ulong NullMask = 0b100;

    /// <summary>Literal sets are matched with a 64-bit candidate mask.</summary>
    public const int MaxLiterals = 64;

    internal JsonGrammar(List<JsonSchemaNode> nodes, List<byte[][]> literalSets, int root)
    {
        Nodes = [.. nodes];
        LiteralSets = [.. literalSets];
        Root = root;
        ComputeMinLengths();
    }

    public JsonSchemaNode[] Nodes { get; }

    public byte[][][] LiteralSets { get; }

    public int Root { get; }

    /// <summary>Shortest JSON text of the whole answer.</summary>
    public int MinLength => Nodes[Root].MinLength;

    /// <summary>The grammar of <c>response_format: {type: json_object}</c>: one JSON object, anything inside.</summary>
    public static JsonGrammar AnyObject()
    {
        var (nodes, sets) = Builtins();
        nodes.Add(new JsonSchemaNode { Types = JsonTypes.Object });
        return new JsonGrammar(nodes, sets, nodes.Count - 1);
    }

    /// <summary>The node list and literal sets every grammar starts with (any value; true/false/null).</summary>
    internal static (List<JsonSchemaNode> Nodes, List<byte[][]> Sets) Builtins() =>
        ([new JsonSchemaNode { Types = JsonTypes.Any }],
         [[Encoding.ASCII.GetBytes("true"), Encoding.ASCII.GetBytes("false"), Encoding.ASCII.GetBytes("null")]]);

    /// <summary>
    /// Shortest text per node, by fixpoint iteration so that recursive schemas settle; a node that can only be
    /// satisfied by an infinite value (a required self-reference) makes the schema unusable.
    /// </summary>
    private void ComputeMinLengths()
    {
        const int Infinite = int.MaxValue / 4;
        foreach (var node in Nodes)
            node.MinLength = Infinite;
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var node in Nodes)
            {
                var length = Math.Min(Infinite, NodeMinLength(node));
                if (length < node.MinLength)
                {
                    node.MinLength = length;
                    changed = true;
                }
            }
        }
        if (Nodes[Root].MinLength >= Infinite)
            throw new JsonSchemaException("The schema cannot be satisfied by any finite JSON value (a required property refers back to itself).");
        foreach (var node in Nodes)
            if (node.IsListedObject)
                ComputeSuffixes(node);
    }

    private int NodeMinLength(JsonSchemaNode node)
    {
        if (node.AnyOf is { } alternatives)
        {
            var best = int.MaxValue / 4;
            foreach (var alternative in alternatives)
                best = Math.Min(best, Nodes[alternative].MinLength);
            return best;
        }
        if (node.LiteralSet >= 0)
        {
            var best = int.MaxValue;
            foreach (var literal in LiteralSets[node.LiteralSet])
                best = Math.Min(best, literal.Length);
            return best;
        }
        var types = node.Types;
        var min = int.MaxValue / 4;
        if ((types & (JsonTypes.Number | JsonTypes.Integer)) != 0)
            min = 1;
        else if ((types & JsonTypes.String) != 0)
            min = 2;
        else if ((types & (JsonTypes.Boolean | JsonTypes.Null)) != 0)
            min = 4;
        if ((types & JsonTypes.Object) != 0)
            min = Math.Min(min, ObjectMinLength(node));
        if ((types & JsonTypes.Array) != 0)
            min = Math.Min(min, ArrayMinLength(node));
        return min;
    }

    private int ObjectMinLength(JsonSchemaNode node)
    {
        if (!node.IsListedObject)
            return 2;
        long total = 2;
        var count = 0;
        var keys = LiteralSets[node.KeySet];
        for (var i = 0; i < keys.Length; i++)
        {
            if (!node.Required[i])
                continue;
            total += keys[i].Length + 1L + Nodes[node.PropertyNodes[i]].MinLength;
            count++;
        }
        return (int)Math.Min(int.MaxValue / 4, total + Math.Max(0, count - 1));
    }

    private int ArrayMinLength(JsonSchemaNode node)
    {
        if (node.MinItems == 0)
            return 2;
        var item = (long)Nodes[node.Items].MinLength;
        return (int)Math.Min(int.MaxValue / 4, 2 + node.MinItems * item + (node.MinItems - 1));
    }

    private void ComputeSuffixes(JsonSchemaNode node)
    {
        var keys = LiteralSets[node.KeySet];
        var n = keys.Length;
        node.RequiredSuffixBytes = new int[n + 1];
        node.RequiredSuffixCount = new int[n + 1];
        node.NextRequired = new int[n + 1];
        node.NextRequired[n] = n;
        for (var i = n - 1; i >= 0; i--)
        {
            var required = node.Required[i];
            node.RequiredSuffixBytes[i] = node.RequiredSuffixBytes[i + 1]
                + (required ? keys[i].Length + 1 + Nodes[node.PropertyNodes[i]].MinLength : 0);
            node.RequiredSuffixCount[i] = node.RequiredSuffixCount[i + 1] + (required ? 1 : 0);
            node.NextRequired[i] = required ? i : node.NextRequired[i + 1];
        }
    }
}
