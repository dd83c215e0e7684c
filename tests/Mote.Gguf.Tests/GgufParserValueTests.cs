using Mote.Numerics.Formats;

namespace Mote.Gguf.Tests;

/// <summary>The reader against hand-assembled files that use every part of the GGUF specification.</summary>
public sealed class GgufParserValueTests
{
    /// <summary>A file holding every value type, arrays of each, nested arrays, alignment 64 and two tensors.</summary>
    internal static byte[] EveryValueType(uint version)
    {
        var b = new GgufBytes().Header(version, tensorCount: 2, kvCount: 17);
        b.Key("general.alignment", GgufValueType.UInt32).U32(64);
        b.Key("u8", GgufValueType.UInt8).U8(200);
        b.Key("i8", GgufValueType.Int8).I8(-100);
        b.Key("u16", GgufValueType.UInt16).U16(60000);
        b.Key("i16", GgufValueType.Int16).I16(-30000);
        b.Key("u32", GgufValueType.UInt32).U32(4000000000);
        b.Key("i32", GgufValueType.Int32).I32(-2000000000);
        b.Key("f32", GgufValueType.Float32).F32(1e-5f);
        b.Key("bool", GgufValueType.Bool).U8(1);
        b.Key("str", GgufValueType.String).Str("héllo ✓");
        b.Key("u64", GgufValueType.UInt64).U64(ulong.MaxValue);
        b.Key("i64", GgufValueType.Int64).I64(long.MinValue);
        b.Key("f64", GgufValueType.Float64).F64(Math.PI);
        b.Key("tokens", GgufValueType.Array).U32((uint)GgufValueType.String).U64(3).Str("<unk>").Str("").Str("▁the");
        b.Key("scores", GgufValueType.Array).U32((uint)GgufValueType.Float32).U64(2).F32(-1.5f).F32(0f);
        b.Key("flags", GgufValueType.Array).U32((uint)GgufValueType.Bool).U64(3).U8(1).U8(0).U8(1);
        // An array of two arrays: [[1, 2], ["x"]]; the inner arrays have no type tag of their own.
        b.Key("nested", GgufValueType.Array).U32((uint)GgufValueType.Array).U64(2)
            .U32((uint)GgufValueType.Int32).U64(2).I32(1).I32(2)
            .U32((uint)GgufValueType.String).U64(1).Str("x");
        b.TensorInfo("a", (uint)GgmlType.F32, 0, 3);
        b.TensorInfo("b.weight", (uint)GgmlType.Q8_0, 64, 32, 2);
        b.PadTo(64);
        b.F32(1).F32(2).F32(3).PadTo(64);
        b.Raw(new byte[2 * 34]).PadTo(64);
        return b.ToArray();
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(3u)]
    public void Parse_EveryValueType_ReadsExactTypesAndValues(uint version)
    {
        var header = GgufTestParse.Parse(EveryValueType(version));
        var meta = header.Metadata;

        Assert.Equal(version, header.Version);
        Assert.Equal(64, header.Alignment);
        Assert.Equal(17, meta.Count);
        Assert.Equal((byte)200, meta["u8"].Value);
        Assert.Equal((sbyte)-100, meta["i8"].Value);
        Assert.Equal((ushort)60000, meta["u16"].Value);
        Assert.Equal((short)-30000, meta["i16"].Value);
        Assert.Equal(4000000000u, meta["u32"].Value);
        Assert.Equal(-2000000000, meta["i32"].Value);
        Assert.Equal(1e-5f, meta["f32"].Value);
        Assert.True(meta.GetBool("bool"));
        Assert.Equal("héllo ✓", meta.GetString("str"));
        Assert.Equal(ulong.MaxValue, meta["u64"].Value);
        Assert.Equal(long.MinValue, meta.GetInt64("i64"));
        Assert.Equal(Math.PI, meta.GetDouble("f64"));
        Assert.Equal(["<unk>", "", "▁the"], meta.GetArray<string>("tokens"));
        Assert.Equal([-1.5f, 0f], meta.GetArray<float>("scores"));
        Assert.Equal([true, false, true], meta.GetArray<bool>("flags"));

        var nested = meta.GetArray<GgufValue>("nested");
        Assert.Equal(GgufValueType.Array, meta["nested"].ElementType);
        Assert.Equal([1, 2], nested[0].AsArray<int>());
        Assert.Equal(["x"], nested[1].AsArray<string>());
        Assert.Equal(["general.alignment", "u8", "i8"], meta.Entries.Take(3).Select(e => e.Key));
    }

    [Fact]
    public void Parse_EveryValueType_LaysOutTensorsOnTheAlignment()
    {
        var image = EveryValueType(3);
        var header = GgufTestParse.Parse(image);

        Assert.Equal(0, header.DataOffset % 64);
        Assert.True(header.DataOffset - header.HeaderLength is >= 0 and < 64);
        Assert.Equal(header.DataOffset + 64 + 128, image.Length);
        var b = header.Tensors[1];
        Assert.Equal("b.weight", b.Name);
        Assert.Equal(GgmlType.Q8_0, b.Type);
        Assert.Equal([32L, 2L], b.Shape);
        Assert.Equal(64UL, b.Offset);
        Assert.Equal(68, b.ByteSize);
        Assert.Equal(2, b.Rows);
    }

    [Fact]
    public void Parse_NoAlignmentKey_Uses32AndAcceptsZeroSizedAndScalarTensors()
    {
        var image = new GgufBytes().Header(3, 3, 0)
            .TensorInfo("scalar", (uint)GgmlType.F32, 0)
            .TensorInfo("empty", (uint)GgmlType.Q4_0, 32, 0, 7)
            .TensorInfo("after", (uint)GgmlType.F16, 32, 2)
            .PadTo(32).F32(5).PadTo(32).U32(0).PadTo(32).ToArray();

        var header = GgufTestParse.Parse(image);

        Assert.Equal(32, header.Alignment);
        Assert.Equal(4, header.Tensors[0].ByteSize);
        Assert.Equal(0, header.Tensors[1].ByteSize);
        Assert.Equal(4, header.Tensors[2].ByteSize);
    }

    [Fact]
    public void Parse_VocabularyOnlyFileWithoutPadding_IsAccepted()
    {
        var image = new GgufBytes().Header(3, 0, 1).Key("k", GgufValueType.UInt8).U8(1).ToArray();

        var header = GgufTestParse.Parse(image);

        Assert.Equal(image.Length, header.HeaderLength);
        Assert.Empty(header.Tensors);
    }

    [Fact]
    public void Parse_InvalidUtf8StringValue_KeepsTheBytesLosslessly()
    {
        byte[] raw = [0x61, 0xE4, 0xBD, 0x62, 0xFF]; // 'a', a truncated 3-byte sequence, 'b', an invalid byte
        var image = new GgufBytes().Header(3, 0, 1).Key("tok", GgufValueType.String).RawStr(raw).ToArray();

        var text = GgufTestParse.Parse(image).Metadata.GetString("tok");

        Assert.Equal("a\uDCE4\uDCBDb\uDCFF", text);
        var encoded = new byte[GgufStrings.GetByteCount(text)];
        GgufStrings.Encode(text, encoded);
        Assert.Equal(raw, encoded);
    }
}
