using System.Globalization;

namespace Mote.Gguf;

/// <summary>
/// One metadata value with its exact GGUF type, so that a writer reproduces the file byte for byte.
/// Scalars are held as their CLR type (byte, sbyte, ushort, short, uint, int, float, bool, ulong, long, double,
/// string); arrays as a typed CLR array of those (<c>string[]</c>, <c>float[]</c>, ...) or, for arrays of arrays,
/// as <c>GgufValue[]</c>.
/// </summary>
public sealed class GgufValue
{
    private GgufValue(GgufValueType type, GgufValueType elementType, object value)
    {
        Type = type;
        ElementType = elementType;
        Value = value;
    }

    /// <summary>The value's GGUF type.</summary>
    public GgufValueType Type { get; }

    /// <summary>For arrays, the element type; otherwise equal to <see cref="Type"/>.</summary>
    public GgufValueType ElementType { get; }

    /// <summary>The CLR value (see the class remarks for the representation).</summary>
    public object Value { get; }

    public bool IsArray => Type == GgufValueType.Array;

    /// <summary>Number of elements of an array value (0 for scalars).</summary>
    public int ArrayLength => Value is Array array && IsArray ? array.Length : 0;

    public static GgufValue Scalar(GgufValueType type, object value)
    {
        if (type == GgufValueType.Array)
            throw new ArgumentException("Use GgufValue.Array for arrays.", nameof(type));
        CheckClrType(type, value);
        return new GgufValue(type, type, value);
    }

    public static GgufValue Array(GgufValueType elementType, Array elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        var expected = elementType == GgufValueType.Array ? typeof(GgufValue) : ClrType(elementType);
        if (elements.GetType().GetElementType() != expected)
            throw new ArgumentException($"A GGUF {elementType} array must be a {expected.Name}[].", nameof(elements));
        if (elements is GgufValue[] nested)
        {
            foreach (var element in nested)
            {
                // The file format has no tag per element: each element of an array of arrays is an array.
                if (element is null || !element.IsArray)
                    throw new ArgumentException("Every element of a GGUF array of arrays must be an array value.", nameof(elements));
            }
        }
        else if (elements is string[] strings && System.Array.IndexOf(strings, null) >= 0)
        {
            throw new ArgumentException("A GGUF string array cannot hold null.", nameof(elements));
        }
        return new GgufValue(GgufValueType.Array, elementType, elements);
    }

    public static GgufValue From(string value) => Scalar(GgufValueType.String, value);
    public static GgufValue From(uint value) => Scalar(GgufValueType.UInt32, value);
    public static GgufValue From(int value) => Scalar(GgufValueType.Int32, value);
    public static GgufValue From(float value) => Scalar(GgufValueType.Float32, value);
    public static GgufValue From(bool value) => Scalar(GgufValueType.Bool, value);
    public static GgufValue From(ulong value) => Scalar(GgufValueType.UInt64, value);
    public static GgufValue From(string[] values) => Array(GgufValueType.String, values);
    public static GgufValue From(float[] values) => Array(GgufValueType.Float32, values);
    public static GgufValue From(int[] values) => Array(GgufValueType.Int32, values);

    /// <summary>The CLR type used for scalars of a GGUF type.</summary>
    public static Type ClrType(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 => typeof(byte),
        GgufValueType.Int8 => typeof(sbyte),
        GgufValueType.UInt16 => typeof(ushort),
        GgufValueType.Int16 => typeof(short),
        GgufValueType.UInt32 => typeof(uint),
        GgufValueType.Int32 => typeof(int),
        GgufValueType.Float32 => typeof(float),
        GgufValueType.Bool => typeof(bool),
        GgufValueType.String => typeof(string),
        GgufValueType.UInt64 => typeof(ulong),
        GgufValueType.Int64 => typeof(long),
        GgufValueType.Float64 => typeof(double),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a scalar GGUF type."),
    };

    /// <summary>The value as a string (only for string values).</summary>
    public string AsString() => Value as string ?? throw Mismatch("string");

    /// <summary>Any integer value widened to long; throws for non-integers and out-of-range uint64.</summary>
    public long AsInt64() => Value switch
    {
        byte v => v,
        sbyte v => v,
        ushort v => v,
        short v => v,
        uint v => v,
        int v => v,
        long v => v,
        ulong v when v <= long.MaxValue => (long)v,
        _ => throw Mismatch("integer"),
    };

    /// <summary>Any numeric value as a double.</summary>
    public double AsDouble() => Value switch
    {
        float v => v,
        double v => v,
        bool => throw Mismatch("number"),
        string => throw Mismatch("number"),
        System.Array => throw Mismatch("number"),
        _ => AsInt64(),
    };

    public bool AsBool() => Value is bool b ? b : throw Mismatch("bool");

    /// <summary>An array value as a typed array, e.g. <c>AsArray&lt;string&gt;()</c>.</summary>
    public T[] AsArray<T>() => Value as T[] ?? throw Mismatch(typeof(T).Name + "[]");

    public override string ToString() => Value switch
    {
        string s => s,
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        System.Array a => $"[{ElementType} × {a.Length}]",
        _ => Convert.ToString(Value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private InvalidOperationException Mismatch(string wanted) =>
        new($"GGUF value of type {Type}{(IsArray ? $"<{ElementType}>" : "")} is not a {wanted}.");

    private static void CheckClrType(GgufValueType type, object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.GetType() != ClrType(type))
            throw new ArgumentException($"A GGUF {type} must be held as {ClrType(type).Name}.", nameof(value));
    }
}
