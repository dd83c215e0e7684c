using System.Globalization;

namespace Mote.Gguf;

/// <summary>
/// One metadata value with its exact GGUF type, so that a writer reproduces the file byte for byte.
/// Scalars are held as their CLR type (byte, sbyte, ushort, short, uint, int, float, bool, ulong, long, double,
/// string); arrays of strings as a <see cref="GgufStringArray"/> (their bytes, decoded on access), other arrays as
/// a typed CLR array (<c>float[]</c>, <c>int[]</c>, ...) or, for arrays of arrays, as <c>GgufValue[]</c>.
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
    public int ArrayLength => !IsArray ? 0 : Value switch
    {
        System.Array array => array.Length,
        GgufStringArray strings => strings.Count,
        _ => 0,
    };

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
        else if (elements is string[] strings)
        {
            return Strings(GgufStringArray.From(strings)); // throws for null elements
        }
        return new GgufValue(GgufValueType.Array, elementType, elements);
    }

    /// <summary>An array of strings.</summary>
    public static GgufValue Strings(GgufStringArray elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        return new GgufValue(GgufValueType.Array, GgufValueType.String, elements);
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

    /// <summary>
    /// An array value as a typed array, e.g. <c>AsArray&lt;float&gt;()</c>; for strings a new array of decoded
    /// elements on every call (<see cref="AsStrings"/> decodes none).
    /// </summary>
    public T[] AsArray<T>() => Value switch
    {
        T[] array => array,
        GgufStringArray strings when typeof(T) == typeof(string) => (T[])(object)strings.ToArray(),
        _ => throw Mismatch(typeof(T).Name + "[]"),
    };

    /// <summary>An array of strings as stored.</summary>
    public GgufStringArray AsStrings() => Value as GgufStringArray ?? throw Mismatch("string array");

    /// <summary>Element <paramref name="index"/> of an array value: a scalar's CLR value, or a <see cref="GgufValue"/>.</summary>
    public object GetElement(int index) => Value switch
    {
        GgufStringArray strings => strings[index],
        System.Array array when IsArray => array.GetValue(index)!,
        _ => throw Mismatch("array"),
    };

    public override string ToString() => Value switch
    {
        string s => s,
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        System.Array or GgufStringArray => $"[{ElementType} × {ArrayLength}]",
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
