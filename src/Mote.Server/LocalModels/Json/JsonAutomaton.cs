namespace Mote.Server.LocalModels.Json;

/// <summary>
/// A byte-level pushdown automaton that accepts exactly the JSON texts of a <see cref="JsonGrammar"/> (with
/// bounded whitespace and number lengths, so that a constrained answer always makes progress). It is fed the bytes
/// of generated tokens; <see cref="Mark"/> and <see cref="Undo"/> let the token-mask walk try a token's bytes and
/// take them back, using a log of overwritten frames instead of copying the stack.
/// </summary>
internal sealed partial class JsonAutomaton
{
    /// <summary>Whitespace bytes allowed in one gap between tokens of the JSON text.</summary>
    public const int MaxWhitespace = 20;

    private readonly JsonGrammar _grammar;
    private JsonFrame[] _stack = new JsonFrame[16];
    private int _depth;
    private (int Index, JsonFrame Old)[] _log = new (int, JsonFrame)[64];
    private int _logCount;

    public JsonAutomaton(JsonGrammar grammar)
    {
        _grammar = grammar;
        Push(new JsonFrame { Kind = FrameKind.Value, Node = grammar.Root });
        _logCount = 0;
    }

    /// <summary>The root value is closed: nothing more may follow.</summary>
    public bool IsDone => _depth == 0;

    /// <summary>The text so far is a complete JSON value (it may still continue, as a number may).</summary>
    public bool IsAccepting
    {
        get
        {
            if (_depth == 0)
                return true;
            if (_depth > 1)
                return false;
            var top = _stack[0];
            return top.Kind switch
            {
                FrameKind.Number => NumberState.IsComplete(top.State),
                FrameKind.Literal => CompletedLiteral(top) >= 0,
                _ => false,
            };
        }
    }

    /// <summary>A point to return to with <see cref="Undo"/>.</summary>
    public readonly record struct Checkpoint(int Log, int Depth);

    public Checkpoint Mark() => new(_logCount, _depth);

    public void Undo(Checkpoint mark)
    {
        for (var i = _logCount - 1; i >= mark.Log; i--)
            _stack[_log[i].Index] = _log[i].Old;
        _logCount = mark.Log;
        _depth = mark.Depth;
    }

    /// <summary>Feeds bytes for good (a sampled token). False, with the state unchanged, if they are not allowed.</summary>
    public bool Accept(ReadOnlySpan<byte> bytes)
    {
        var mark = Mark();
        foreach (var b in bytes)
        {
            if (!Step(b))
            {
                Undo(mark);
                return false;
            }
        }
        _logCount = mark.Log;
        return true;
    }

    /// <summary>Feeds one byte; false if the grammar does not allow it here (the state may then be half-changed: undo).</summary>
    public bool Step(byte b)
    {
        while (_depth > 0)
        {
            var i = _depth - 1;
            var frame = _stack[i];
            var result = frame.Kind switch
            {
                FrameKind.Value => StepValue(i, frame, b),
                FrameKind.Object => StepObject(i, frame, b),
                FrameKind.Array => StepArray(i, frame, b),
                FrameKind.String => StepString(i, frame, b),
                FrameKind.Number => StepNumber(i, frame, b),
                _ => StepLiteral(i, frame, b),
            };
            if (result != StepResult.Reprocess)
                return result == StepResult.Consumed;
        }
        return false;
    }

    private enum StepResult
    {
        Consumed,
        Invalid,

        /// <summary>The stack changed (a frame ended or a value began); the same byte goes to the new top.</summary>
        Reprocess,
    }

    private void Set(int index, in JsonFrame frame)
    {
        if (_logCount == _log.Length)
            Array.Resize(ref _log, _log.Length * 2);
        _log[_logCount++] = (index, _stack[index]);
        _stack[index] = frame;
    }

    private void Push(in JsonFrame frame)
    {
        if (_depth == _stack.Length)
            Array.Resize(ref _stack, _stack.Length * 2);
        Set(_depth, frame);
        _depth++;
    }

    /// <summary>Ends the top frame and moves its parent past the key or value it held.</summary>
    private void Pop()
    {
        var child = _stack[_depth - 1];
        _depth--;
        if (_depth == 0)
            return;
        var p = _depth - 1;
        var parent = _stack[p];
        if (parent.Kind == FrameKind.Object)
        {
            if (parent.State == ObjectState.InKey)
            {
                if (_grammar.Nodes[parent.Node].IsListedObject)
                    parent.Count = CompletedLiteral(child) + 1;
                parent.State = ObjectState.AfterKey;
            }
            else
            {
                parent.State = ObjectState.AfterValue;
            }
        }
        else if (parent.Kind == FrameKind.Array)
        {
            parent.State = ArrayState.AfterValue;
        }
        parent.Pos = 0;
        Set(p, parent);
    }

    /// <summary>The candidate of a literal frame that is complete at its position, or -1.</summary>
    private int CompletedLiteral(in JsonFrame frame)
    {
        var set = _grammar.LiteralSets[frame.Count];
        for (var mask = frame.Mask; mask != 0; mask &= mask - 1)
        {
            var k = System.Numerics.BitOperations.TrailingZeroCount(mask);
            if (set[k].Length == frame.Pos)
                return k;
        }
        return -1;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\n' or (byte)'\t' or (byte)'\r';

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}
