namespace Mote.Gguf.Tests;

/// <summary>String arrays keep the file's bytes and decode on access, losslessly, as string values do.</summary>
public sealed class GgufStringArrayTests
{
    private static readonly byte[] Invalid = [0x61, 0xE4, 0xBD, 0x62, 0xFF]; // 'a', a truncated sequence, 'b', a bad byte

    private static GgufMetadata ParseArray()
    {
        var image = new GgufBytes().Header(3, 0, 2)
            .Key("t", GgufValueType.Array).U32((uint)GgufValueType.String).U64(4)
            .Str("héllo ✓").RawStr([]).RawStr(Invalid).Str("😀")
            .Key("f", GgufValueType.Array).U32((uint)GgufValueType.Float32).U64(1).F32(1f)
            .ToArray();
        return GgufTestParse.Parse(image).Metadata;
    }

    [Fact]
    public void Parse_StringArray_KeepsEachElementsBytesAndDecodesThemOnAccess()
    {
        var strings = ParseArray().GetStrings("t");

        Assert.Equal(4, strings.Count);
        Assert.Equal("héllo ✓"u8.ToArray(), strings.Utf8(0).ToArray());
        Assert.True(strings.Utf8(1).IsEmpty);
        Assert.Equal(Invalid, strings.Utf8(2).ToArray());
        Assert.Equal("\U0001F600"u8.ToArray(), strings.Utf8(3).ToArray());
        Assert.Equal(["héllo ✓", "", "a\uDCE4\uDCBDb\uDCFF", "😀"], strings);
        Assert.Equal(strings.ToArray(), strings.ToList());
    }

    [Fact]
    public void Value_StringArray_ReadsAsArrayElementsAndLength()
    {
        var value = ParseArray()["t"];

        Assert.Equal(GgufValueType.String, value.ElementType);
        Assert.Equal(4, value.ArrayLength);
        Assert.Equal("a\uDCE4\uDCBDb\uDCFF", value.GetElement(2));
        Assert.Equal(["héllo ✓", "", "a\uDCE4\uDCBDb\uDCFF", "😀"], value.AsArray<string>());
        Assert.NotSame(value.AsArray<string>(), value.AsArray<string>()); // decoded afresh: callers may change it
        Assert.Equal("[String × 4]", value.ToString());
    }

    [Fact]
    public void GetStrings_OtherTypes_ThrowNamingTheKey()
    {
        var metadata = ParseArray();

        var error = Assert.Throws<InvalidOperationException>(() => metadata.GetStrings("f"));
        Assert.Contains("'f'", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => metadata["t"].AsArray<int>());
        Assert.Null(metadata.TryGetStrings("missing"));
        Assert.Throws<KeyNotFoundException>(() => metadata.GetStrings("missing"));
    }

    [Fact]
    public void From_Strings_EncodesLosslesslyAndRejectsNull()
    {
        string[] texts = ["", "a", "a\uDCE4\uDCBDb\uDCFF", "naïve", "😀"];

        var strings = GgufStringArray.From(texts);

        Assert.Equal(texts, strings);
        Assert.Equal(Invalid, strings.Utf8(2).ToArray());
        Assert.Equal(texts, GgufValue.From(texts).AsStrings());
        Assert.Throws<ArgumentException>(() => GgufStringArray.From(["a", null!]));
        Assert.Throws<ArgumentException>(() => GgufValue.From(["a", null!]));
        Assert.Throws<ArgumentOutOfRangeException>(() => strings.Utf8(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => strings[-1]);
        Assert.Empty(GgufStringArray.Empty);
    }

    [Fact]
    public void Write_StringArrayMadeFromStrings_ParsesBackEqual()
    {
        var metadata = new GgufMetadata();
        metadata.Set("t", GgufValue.From(["x", "", "a\uDCE4\uDCBDb\uDCFF"]));
        using var output = new MemoryStream();

        new GgufWriter(metadata).Write(output);

        var strings = GgufTestParse.Parse(output.ToArray()).Metadata.GetStrings("t");
        Assert.Equal(["x", "", "a\uDCE4\uDCBDb\uDCFF"], strings);
        Assert.Equal(Invalid, strings.Utf8(2).ToArray());
    }
}
