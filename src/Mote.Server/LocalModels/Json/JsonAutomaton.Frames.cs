namespace Mote.Server.LocalModels.Json;

/// <summary>The byte step of each frame kind.</summary>
internal sealed partial class JsonAutomaton
{
    private const int MaxIntegerDigits = 16;
    private const int MaxFractionDigits = 16;
    private const int MaxExponentDigits = 3;
    private const int MaxResolveDepth = 32;

    private StepResult StepValue(int i, JsonFrame frame, byte b)
    {
        // Whitespace before a value belongs to its parent's gap; at the root it would only delay the answer.
        if (IsWhitespace(b))
            return i == 0 ? StepResult.Invalid : Whitespace(i, frame);
        var node = Resolve(frame.Node, b, 0);
        if (node < 0)
            return StepResult.Invalid;
        var schema = _grammar.Nodes[node];
        if (schema.LiteralSet >= 0)
            return StepLiteral(i, Literal(schema.LiteralSet, AllOf(schema.LiteralSet)), b, replace: true);
        switch (b)
        {
            case (byte)'{':
                Set(i, new JsonFrame { Kind = FrameKind.Object, State = ObjectState.AfterOpen, Node = node });
                return StepResult.Consumed;
            case (byte)'[':
                Set(i, new JsonFrame { Kind = FrameKind.Array, State = ArrayState.AfterOpen, Node = node });
                return StepResult.Consumed;
            case (byte)'"':
                Set(i, new JsonFrame { Kind = FrameKind.String, State = StringState.Normal, Node = node });
                return StepResult.Consumed;
            case (byte)'t' or (byte)'f' or (byte)'n':
                var mask = ((schema.Types & JsonTypes.Boolean) != 0 ? JsonGrammar.BooleanMask : 0)
                         | ((schema.Types & JsonTypes.Null) != 0 ? JsonGrammar.NullMask : 0);
                return StepLiteral(i, Literal(JsonGrammar.KeywordSet, mask), b, replace: true);
            default:
                return StepNumber(i, new JsonFrame { Kind = FrameKind.Number, State = NumberState.Start, Node = node }, b, replace: true);
        }
    }

    /// <summary>The node (following <c>anyOf</c> alternatives) whose values can start with <paramref name="b"/>, or -1.</summary>
    private int Resolve(int index, byte b, int depth)
    {
        var node = _grammar.Nodes[index];
        if (node.AnyOf is { } alternatives)
        {
            if (depth >= MaxResolveDepth)
                return -1;
            foreach (var alternative in alternatives)
            {
                var found = Resolve(alternative, b, depth + 1);
                if (found >= 0)
                    return found;
            }
            return -1;
        }
        if (node.LiteralSet >= 0)
        {
            foreach (var literal in _grammar.LiteralSets[node.LiteralSet])
                if (literal[0] == b)
                    return index;
            return -1;
        }
        var types = node.Types;
        var allowed = b switch
        {
            (byte)'{' => (types & JsonTypes.Object) != 0,
            (byte)'[' => (types & JsonTypes.Array) != 0,
            (byte)'"' => (types & JsonTypes.String) != 0,
            (byte)'t' or (byte)'f' => (types & JsonTypes.Boolean) != 0,
            (byte)'n' => (types & JsonTypes.Null) != 0,
            (byte)'-' => (types & (JsonTypes.Number | JsonTypes.Integer)) != 0,
            _ => IsDigit(b) && (types & (JsonTypes.Number | JsonTypes.Integer)) != 0,
        };
        return allowed ? index : -1;
    }

    private StepResult StepObject(int i, JsonFrame frame, byte b)
    {
        if (IsWhitespace(b))
            return Whitespace(i, frame);
        var node = _grammar.Nodes[frame.Node];
        switch (frame.State)
        {
            case ObjectState.AfterOpen:
                if (b == '"')
                    return BeginKey(i, frame, node);
                return b == '}' && CanClose(frame, node) ? Close() : StepResult.Invalid;
            case ObjectState.AfterKey:
                if (b != ':')
                    return StepResult.Invalid;
                frame.State = ObjectState.AfterColon;
                frame.Pos = 0;
                Set(i, frame);
                return StepResult.Consumed;
            case ObjectState.AfterColon:
                frame.State = ObjectState.InValue;
                frame.Pos = 0;
                Set(i, frame);
                Push(new JsonFrame { Kind = FrameKind.Value, Node = node.IsListedObject ? node.PropertyNodes[frame.Count - 1] : JsonGrammar.AnyNode });
                return StepResult.Reprocess;
            case ObjectState.AfterValue:
                if (b == '}')
                    return CanClose(frame, node) ? Close() : StepResult.Invalid;
                if (b != ',' || (node.IsListedObject && frame.Count >= node.PropertyNodes.Length))
                    return StepResult.Invalid;
                frame.State = ObjectState.AfterComma;
                frame.Pos = 0;
                Set(i, frame);
                return StepResult.Consumed;
            case ObjectState.AfterComma:
                return b == '"' ? BeginKey(i, frame, node) : StepResult.Invalid;
            default:
                return StepResult.Invalid;
        }
    }

    private StepResult BeginKey(int i, JsonFrame frame, JsonSchemaNode node)
    {
        frame.State = ObjectState.InKey;
        frame.Pos = 0;
        if (!node.IsListedObject)
        {
            Set(i, frame);
            Push(new JsonFrame { Kind = FrameKind.String, State = StringState.Normal, Node = JsonGrammar.AnyNode });
            return StepResult.Consumed;
        }
        // Keys come in schema order: any optional one from here up to (and including) the next required one.
        var last = Math.Min(node.NextRequired[frame.Count], node.PropertyNodes.Length - 1);
        ulong mask = 0;
        for (var k = frame.Count; k <= last; k++)
            mask |= 1UL << k;
        if (mask == 0)
            return StepResult.Invalid;
        Set(i, frame);
        var key = Literal(node.KeySet, mask);
        key.State = 1;
        Push(key);
        return StepResult.Reprocess;
    }

    private static bool CanClose(in JsonFrame frame, JsonSchemaNode node) =>
        !node.IsListedObject || node.RequiredSuffixCount[frame.Count] == 0;

    private StepResult StepArray(int i, JsonFrame frame, byte b)
    {
        if (IsWhitespace(b) && frame.State != ArrayState.InValue)
            return Whitespace(i, frame);
        var node = _grammar.Nodes[frame.Node];
        switch (frame.State)
        {
            case ArrayState.AfterOpen:
                if (b == ']')
                    return node.MinItems == 0 ? Close() : StepResult.Invalid;
                return node.MaxItems == 0 ? StepResult.Invalid : BeginItem(i, frame, node);
            case ArrayState.AfterValue:
                if (b == ']')
                    return frame.Count >= node.MinItems ? Close() : StepResult.Invalid;
                if (b != ',' || frame.Count >= node.MaxItems)
                    return StepResult.Invalid;
                frame.State = ArrayState.AfterComma;
                frame.Pos = 0;
                Set(i, frame);
                return StepResult.Consumed;
            case ArrayState.AfterComma:
                return BeginItem(i, frame, node);
            default:
                return StepResult.Invalid;
        }
    }

    private StepResult BeginItem(int i, JsonFrame frame, JsonSchemaNode node)
    {
        frame.State = ArrayState.InValue;
        frame.Count++;
        frame.Pos = 0;
        Set(i, frame);
        Push(new JsonFrame { Kind = FrameKind.Value, Node = node.Items });
        return StepResult.Reprocess;
    }

    private StepResult StepString(int i, JsonFrame frame, byte b)
    {
        var state = frame.State;
        if (state == StringState.Normal)
        {
            if (b == '"')
                return Close();
            if (b == '\\')
                frame.State = StringState.Escape;
            else if (b < 0x20)
                return StepResult.Invalid;
            else if (b >= 0x80)
            {
                // A UTF-8 lead byte and how many continuation bytes it announces.
                var more = b switch
                {
                    >= 0xC2 and <= 0xDF => 1,
                    >= 0xE0 and <= 0xEF => 2,
                    >= 0xF0 and <= 0xF4 => 3,
                    _ => 0,
                };
                if (more == 0)
                    return StepResult.Invalid;
                frame.State = (byte)(StringState.Continuation1 + more - 1);
            }
        }
        else if (state == StringState.Escape)
        {
            if (b == 'u')
                frame.State = StringState.Hex1 + 3;
            else if (b is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t')
                frame.State = StringState.Normal;
            else
                return StepResult.Invalid;
        }
        else if (state < StringState.Continuation1)
        {
            if (!char.IsAsciiHexDigit((char)b))
                return StepResult.Invalid;
            frame.State = state == StringState.Hex1 ? StringState.Normal : (byte)(state - 1);
        }
        else
        {
            if (b is < 0x80 or > 0xBF)
                return StepResult.Invalid;
            frame.State = state == StringState.Continuation1 ? StringState.Normal : (byte)(state - 1);
        }
        frame.Count++;
        Set(i, frame);
        return StepResult.Consumed;
    }

    private StepResult StepNumber(int i, JsonFrame frame, byte b, bool replace = false)
    {
        var integerOnly = (_grammar.Nodes[frame.Node].Types & JsonTypes.Number) == 0;
        var digit = IsDigit(b);
        var fractional = !integerOnly && b == '.';
        var exponent = !integerOnly && (b == 'e' || b == 'E');
        switch (frame.State)
        {
            case NumberState.Start or NumberState.Minus:
                if (b == '-' && frame.State == NumberState.Start)
                    return Update(i, ref frame, NumberState.Minus, 0);
                if (!digit)
                    return StepResult.Invalid;
                return Update(i, ref frame, b == '0' ? NumberState.Zero : NumberState.Integer, 1);
            case NumberState.Zero:
                if (fractional)
                    return Update(i, ref frame, NumberState.Dot, 0);
                if (exponent)
                    return Update(i, ref frame, NumberState.Exponent, 0);
                return digit ? StepResult.Invalid : End(replace);
            case NumberState.Integer:
                if (digit)
                    return frame.Count < MaxIntegerDigits ? Update(i, ref frame, NumberState.Integer, frame.Count + 1) : StepResult.Invalid;
                if (fractional)
                    return Update(i, ref frame, NumberState.Dot, 0);
                if (exponent)
                    return Update(i, ref frame, NumberState.Exponent, 0);
                return End(replace);
            case NumberState.Dot:
                return digit ? Update(i, ref frame, NumberState.Fraction, 1) : StepResult.Invalid;
            case NumberState.Fraction:
                if (digit)
                    return frame.Count < MaxFractionDigits ? Update(i, ref frame, NumberState.Fraction, frame.Count + 1) : StepResult.Invalid;
                if (exponent)
                    return Update(i, ref frame, NumberState.Exponent, 0);
                return End(replace);
            case NumberState.Exponent:
                if (b is (byte)'+' or (byte)'-')
                    return Update(i, ref frame, NumberState.ExponentSign, 0);
                return digit ? Update(i, ref frame, NumberState.ExponentDigits, 1) : StepResult.Invalid;
            case NumberState.ExponentSign:
                return digit ? Update(i, ref frame, NumberState.ExponentDigits, 1) : StepResult.Invalid;
            default:
                if (digit)
                    return frame.Count < MaxExponentDigits ? Update(i, ref frame, NumberState.ExponentDigits, frame.Count + 1) : StepResult.Invalid;
                return End(replace);
        }
    }

    private StepResult Update(int i, ref JsonFrame frame, byte state, int count)
    {
        frame.State = state;
        frame.Count = count;
        Set(i, frame);
        return StepResult.Consumed;
    }

    /// <summary>A number or literal ends at a byte that cannot continue it; that byte belongs to the parent.</summary>
    private StepResult End(bool replace)
    {
        if (replace)
            return StepResult.Invalid; // the value's very first byte cannot end it
        Pop();
        return StepResult.Reprocess;
    }

    private StepResult StepLiteral(int i, JsonFrame frame, byte b, bool replace = false)
    {
        var set = _grammar.LiteralSets[frame.Count];
        ulong alive = 0;
        var allComplete = true;
        for (var mask = frame.Mask; mask != 0; mask &= mask - 1)
        {
            var k = System.Numerics.BitOperations.TrailingZeroCount(mask);
            var literal = set[k];
            if (literal.Length > frame.Pos && literal[frame.Pos] == b)
            {
                alive |= 1UL << k;
                allComplete &= literal.Length == frame.Pos + 1;
            }
        }
        if (alive != 0)
        {
            frame.Mask = alive;
            frame.Pos++;
            Set(i, frame);
            // Nothing can extend it (a closing quote, a keyword): end now rather than at the next byte.
            if (allComplete)
                Pop();
            return StepResult.Consumed;
        }
        return CompletedLiteral(frame) >= 0 ? End(replace) : StepResult.Invalid;
    }

    private StepResult Whitespace(int i, JsonFrame frame)
    {
        if (frame.Pos >= MaxWhitespace)
            return StepResult.Invalid;
        frame.Pos++;
        Set(i, frame);
        return StepResult.Consumed;
    }

    private StepResult Close()
    {
        Pop();
        return StepResult.Consumed;
    }

    private static JsonFrame Literal(int set, ulong mask) =>
        new() { Kind = FrameKind.Literal, Count = set, Mask = mask };

    private ulong AllOf(int set)
    {
        var count = _grammar.LiteralSets[set].Length;
        return count == 64 ? ulong.MaxValue : (1UL << count) - 1;
    }
}
