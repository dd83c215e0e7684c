using Mote.Numerics.Formats;

namespace Mote.Gguf.Tests;

/// <summary>Each kind of malformed file is refused with the exact field and offset that is wrong.</summary>
public sealed class GgufParserRejectionTests
{
    private const uint F32 = (uint)GgmlType.F32;

    private static void AssertRejected(byte[] image, string field, long offset, string? problem = null)
    {
        var e = GgufTestParse.Rejects(image);
        Assert.Equal(field, e.Field);
        Assert.Equal(offset, e.Offset);
        Assert.Equal(GgufTestParse.FileName, e.FilePath);
        Assert.Contains(GgufTestParse.FileName, e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{field}' at offset {offset}", e.Message, StringComparison.Ordinal);
        if (problem is not null)
            Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    private static GgufBytes OneKv(string key, GgufValueType type) => new GgufBytes().Header(3, 0, 1).Key(key, type);

    [Fact]
    public void Parse_EmptyImage_RejectsMagic() => AssertRejected([], "magic", 0, "truncated");

    [Fact]
    public void Parse_WrongMagic_RejectsMagic() =>
        AssertRejected(new GgufBytes().U32(0x46554746).U32(3).U64(0).U64(0).ToArray(), "magic", 0, "expected \"GGUF\"");

    [Theory]
    [InlineData(1u, "v1 is not supported")]
    [InlineData(4u, "unsupported version 4")]
    [InlineData(0x03000000u, "big-endian")]
    public void Parse_UnsupportedVersion_RejectsVersion(uint version, string problem) =>
        AssertRejected(new GgufBytes().U32(0x46554747).U32(version).U64(0).U64(0).ToArray(), "version", 4, problem);

    [Theory]
    [InlineData(ulong.MaxValue)]
    [InlineData(1UL << 40)]
    [InlineData(2UL)] // two tensor entries need at least 48 bytes; none remain
    public void Parse_ImpossibleTensorCount_RejectsCount(ulong count) =>
        AssertRejected(new GgufBytes().Header(3, count, 0).ToArray(), "tensor_count", 8, "impossible");

    [Fact]
    public void Parse_ImpossibleKvCount_RejectsCount() =>
        AssertRejected(new GgufBytes().Header(3, 0, long.MaxValue).U64(0).ToArray(), "metadata_kv_count", 16, "impossible");

    [Fact]
    public void Parse_HugeKeyLength_RejectsKeyLength() =>
        AssertRejected(new GgufBytes().Header(3, 0, 1).U64(ulong.MaxValue).U32(0).U8(0).ToArray(), "kv[0].key.length", 24, "exceeds");

    [Fact]
    public void Parse_KeyNotUtf8_RejectsKey() =>
        AssertRejected(new GgufBytes().Header(3, 0, 1).RawStr([0x6B, 0xC0]).U32(0).U8(0).ToArray(), "kv[0].key", 32, "UTF-8");

    [Theory]
    [InlineData(13u)]
    [InlineData(uint.MaxValue)]
    public void Parse_UnknownValueType_RejectsType(uint type) =>
        AssertRejected(new GgufBytes().Header(3, 0, 1).Str("k").U32(type).U64(0).ToArray(), "kv[k].type", 33, "unknown value type");

    [Fact]
    public void Parse_TruncatedScalar_RejectsValue() =>
        AssertRejected(OneKv("k", GgufValueType.UInt64).U32(7).ToArray(), "kv[k]", 37, "truncated");

    [Fact]
    public void Parse_InvalidBool_RejectsValue() =>
        AssertRejected(OneKv("k", GgufValueType.Bool).U8(2).ToArray(), "kv[k]", 37, "0 or 1");

    [Fact]
    public void Parse_InvalidArrayElementType_RejectsElementType() =>
        AssertRejected(OneKv("k", GgufValueType.Array).U32(42).U64(0).ToArray(), "kv[k].element_type", 37, "unknown array element type");

    [Theory]
    [InlineData(ulong.MaxValue)]
    [InlineData(1UL << 31)]
    [InlineData(5UL)] // five u32 values need 20 bytes; 16 remain
    public void Parse_ImpossibleArrayCount_RejectsCount(ulong count) =>
        AssertRejected(OneKv("k", GgufValueType.Array).U32((uint)GgufValueType.UInt32).U64(count).U64(0).U64(0).ToArray(),
            "kv[k].count", 41, "impossible");

    [Fact]
    public void Parse_HugeStringLengthInsideArray_NamesTheElement() =>
        AssertRejected(OneKv("t", GgufValueType.Array).U32((uint)GgufValueType.String).U64(2).Str("a").U64(1UL << 62).ToArray(),
            "kv[t][1].length", 58, "exceeds");

    [Fact]
    public void Parse_ArraysNestedTooDeep_RejectsNesting()
    {
        var b = OneKv("n", GgufValueType.Array);
        for (var i = 0; i < 9; i++)
            b.U32((uint)GgufValueType.Array).U64(1);
        b.U32((uint)GgufValueType.UInt8).U64(0);
        var e = GgufTestParse.Rejects(b.ToArray());
        Assert.Contains("nested deeper", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateKey_RejectsSecondKey() =>
        AssertRejected(new GgufBytes().Header(3, 0, 2).Key("k", GgufValueType.UInt8).U8(1).Key("k", GgufValueType.UInt8).U8(2).ToArray(),
            "kv[1].key", 38, "duplicate key 'k'");

    [Theory]
    [InlineData(0u)]
    [InlineData(3u)]
    [InlineData(48u)]
    [InlineData(1u << 30)]
    public void Parse_BadAlignmentValue_RejectsAlignment(uint alignment) =>
        AssertRejected(OneKv("general.alignment", GgufValueType.UInt32).U32(alignment).ToArray(), "kv[general.alignment]", 53, "power of two");

    [Fact]
    public void Parse_AlignmentOfWrongType_RejectsAlignment() =>
        AssertRejected(OneKv("general.alignment", GgufValueType.UInt64).U64(32).ToArray(), "kv[general.alignment]", 49, "uint32");

    private static GgufBytes OneTensor() => new GgufBytes().Header(3, 1, 0);

    [Fact]
    public void Parse_EmptyTensorName_RejectsName() =>
        AssertRejected(OneTensor().TensorInfo("", F32, 0, 1).PadTo(32).U32(0).ToArray(), "tensor_infos[0].name", 24, "empty");

    [Fact]
    public void Parse_DuplicateTensorName_RejectsSecondName() =>
        AssertRejected(new GgufBytes().Header(3, 2, 0).TensorInfo("w", F32, 0, 1).TensorInfo("w", F32, 32, 1).PadTo(32).Raw(new byte[36]).ToArray(),
            "tensor_infos[1].name", 57, "duplicate tensor name 'w'");

    [Theory]
    [InlineData(5u)]
    [InlineData(uint.MaxValue)]
    public void Parse_TooManyDimensions_RejectsNDims(uint dims) =>
        AssertRejected(OneTensor().Str("w").U32(dims).U64(1).U64(1).U64(1).U64(1).U64(1).U32(0).U64(0).ToArray(), "tensor_infos[0:w].n_dims", 33, "dimensions");

    [Fact]
    public void Parse_DimensionAboveInt64_RejectsDimension() =>
        AssertRejected(OneTensor().TensorInfo("w", F32, 0, 1UL << 63).ToArray(), "tensor_infos[0:w].dims[0]", 37, "too large");

    [Fact]
    public void Parse_ElementCountOverflow_RejectsDimension() =>
        AssertRejected(OneTensor().TensorInfo("w", F32, 0, 1UL << 40, 1UL << 30).ToArray(), "tensor_infos[0:w].dims[1]", 45, "overflows");

    [Fact]
    public void Parse_ByteSizeOverflow_RejectsDimension() =>
        AssertRejected(OneTensor().TensorInfo("w", (uint)GgmlType.F64, 0, 1UL << 61).ToArray(), "tensor_infos[0:w].dims[0]", 37, "overflows");

    [Theory]
    [InlineData(4u)]   // Q4_2, removed from ggml
    [InlineData(31u)]  // Q4_0_4_4, removed from ggml
    [InlineData(1000u)]
    public void Parse_UnknownTensorType_RejectsType(uint type) =>
        AssertRejected(OneTensor().TensorInfo("w", type, 0, 32).ToArray(), "tensor_infos[0:w].type", 45, "unknown tensor type");

    [Fact]
    public void Parse_RowNotWholeBlocks_RejectsFirstDimension() =>
        AssertRejected(OneTensor().TensorInfo("w", (uint)GgmlType.Q8_0, 0, 33).ToArray(), "tensor_infos[0:w].dims[0]", 37, "block size");

    [Fact]
    public void Parse_QuantizedScalarTensor_RejectsRow() =>
        AssertRejected(OneTensor().TensorInfo("w", (uint)GgmlType.Q4_0, 0).ToArray(), "tensor_infos[0:w].dims[0]", 37, "block size");

    [Fact]
    public void Parse_MisalignedOffset_RejectsOffset() =>
        AssertRejected(OneTensor().TensorInfo("w", F32, 4, 1).PadTo(32).Raw(new byte[8]).ToArray(), "tensor_infos[0:w].offset", 49, "alignment");

    [Fact]
    public void Parse_OffsetAboveInt64_RejectsOffset() =>
        AssertRejected(OneTensor().TensorInfo("w", F32, 1UL << 63, 1).ToArray(), "tensor_infos[0:w].offset", 49, "out of range");

    [Fact]
    public void Parse_DataPastEnd_RejectsOffset() =>
        AssertRejected(OneTensor().TensorInfo("w", F32, 32, 4).PadTo(32).Raw(new byte[40]).ToArray(), "tensor_infos[0:w].offset", 49, "outside");

    [Fact]
    public void Parse_FileEndsBeforeData_RejectsTensorData() =>
        AssertRejected(OneTensor().TensorInfo("w", F32, 0, 1).ToArray(), "tensor_data", 57, "before tensor data");

    [Fact]
    public void Parse_OverlappingTensors_RejectsLaterTensor() =>
        AssertRejected(new GgufBytes().Header(3, 2, 0).TensorInfo("a", F32, 0, 16).TensorInfo("b", F32, 32, 8).PadTo(32).Raw(new byte[64]).ToArray(),
            "tensor_infos[1:b].offset", 82, "overlaps tensor 'a'");

    [Fact]
    public void Open_EmptyFile_ThrowsFormatExceptionNamingTheFile()
    {
        var path = Path.Combine(Mote.Testing.RepoPaths.NewTempDirectory(), "empty.gguf");
        File.WriteAllBytes(path, []);

        var e = Assert.Throws<GgufFormatException>(() => GgufFile.Open(path));

        Assert.Equal(path, e.FilePath);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
