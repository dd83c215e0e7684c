namespace Mote.Server.LocalModels.Json;

/// <summary>What a frame of the JSON automaton's stack is parsing.</summary>
internal enum FrameKind : byte
{
    /// <summary>A value not started yet (whitespace may come first); becomes one of the others on its first byte.</summary>
    Value,
    Object,
    Array,
    String,
    Number,

    /// <summary>One of a set of exact byte strings: keys, enum values, <c>true</c>/<c>false</c>/<c>null</c>.</summary>
    Literal,
}

/// <summary>
/// One level of the JSON automaton's stack, small enough to copy freely (the token-mask walk saves and restores
/// frames thousands of times per step). Field use depends on <see cref="Kind"/>:
/// <list type="bullet">
/// <item>Value: <see cref="Node"/>; <see cref="Pos"/> counts leading whitespace.</item>
/// <item>Object: <see cref="State"/> (<see cref="ObjectState"/>); <see cref="Count"/> is the next property index a
/// listed object may use; <see cref="Pos"/> counts whitespace.</item>
/// <item>Array: <see cref="State"/> (<see cref="ArrayState"/>); <see cref="Count"/> items so far; <see cref="Pos"/> whitespace.</item>
/// <item>String: <see cref="State"/> (<see cref="StringState"/>); <see cref="Count"/> bytes so far.</item>
/// <item>Number: <see cref="State"/> (<see cref="NumberState"/>); <see cref="Count"/> digits of the current part.</item>
/// <item>Literal: <see cref="Count"/> is the literal set, <see cref="Mask"/> the candidates still matching,
/// <see cref="Pos"/> the bytes matched; <see cref="State"/> 1 marks an object key.</item>
/// </list>
/// </summary>
internal struct JsonFrame
{
    public FrameKind Kind;
    public byte State;
    public int Node;
    public int Count;
    public int Pos;
    public ulong Mask;
}

internal static class ObjectState
{
    public const byte AfterOpen = 0;
    public const byte InKey = 1;
    public const byte AfterKey = 2;
    public const byte AfterColon = 3;
    public const byte InValue = 4;
    public const byte AfterValue = 5;
    public const byte AfterComma = 6;
}

internal static class ArrayState
{
    public const byte AfterOpen = 0;
    public const byte InValue = 1;
    public const byte AfterValue = 2;
    public const byte AfterComma = 3;
}

internal static class StringState
{
    public const byte Normal = 0;
    public const byte Escape = 1;

    /// <summary>Hex digits of a <c>\u</c> escape still expected: states 2..5 mean 1..4.</summary>
    public const byte Hex1 = 2;

    /// <summary>UTF-8 continuation bytes still expected: states 6..8 mean 1..3.</summary>
    public const byte Continuation1 = 6;
}

internal static class NumberState
{
    public const byte Start = 0;
    public const byte Minus = 1;
    public const byte Zero = 2;
    public const byte Integer = 3;
    public const byte Dot = 4;
    public const byte Fraction = 5;
    public const byte Exponent = 6;
    public const byte ExponentSign = 7;
    public const byte ExponentDigits = 8;

    /// <summary>States in which the number could end here.</summary>
    public static bool IsComplete(byte state) => state is Zero or Integer or Fraction or ExponentDigits;
}
