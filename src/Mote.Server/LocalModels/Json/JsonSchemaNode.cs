namespace Mote.Server.LocalModels.Json;

/// <summary>
/// One compiled schema node. Nodes refer to each other by index into <see cref="JsonGrammar.Nodes"/> so that the
/// automaton's frames stay small structs, and recursive schemas (<c>$ref</c> cycles) are just cycles of indices.
/// </summary>
internal sealed class JsonSchemaNode
{
    public JsonTypes Types { get; set; } = JsonTypes.Any;

    /// <summary><c>enum</c>/<c>const</c>: index of the literal set holding each allowed value's compact JSON; -1 if none.</summary>
    public int LiteralSet { get; set; } = -1;

    /// <summary><c>anyOf</c>/<c>oneOf</c> alternatives (node indices); the first that can start with a byte takes it.</summary>
    public int[]? AnyOf { get; set; }

    /// <summary>
    /// An object with listed properties: the literal set of their encoded keys (<c>"name"</c> with quotes), in
    /// schema order; -1 for a free object (any keys, any values). Listed objects emit keys in schema order and never
    /// add unlisted keys, so the output satisfies <c>additionalProperties: false</c> as well.
    /// </summary>
    public int KeySet { get; set; } = -1;

    /// <summary>The value node of each listed property.</summary>
    public int[] PropertyNodes { get; set; } = [];

    public bool[] Required { get; set; } = [];

    /// <summary>Node of array items (<see cref="JsonGrammar.AnyNode"/> when unconstrained).</summary>
    public int Items { get; set; } = JsonGrammar.AnyNode;

    public int MinItems { get; set; }

    public int MaxItems { get; set; } = int.MaxValue;

    /// <summary>Bytes of the shortest JSON text this node accepts (computed once the grammar is complete).</summary>
    public int MinLength { get; set; }

    /// <summary>Per property index i: the shortest bytes of every required member from i on (key, colon, value).</summary>
    public int[] RequiredSuffixBytes { get; set; } = [];

    /// <summary>Per property index i: how many required members remain from i on.</summary>
    public int[] RequiredSuffixCount { get; set; } = [];

    /// <summary>Per property index i: the first required property at or after i, or the property count.</summary>
    public int[] NextRequired { get; set; } = [];

    public bool IsListedObject => KeySet >= 0;
}
