using Mote.Numerics.Formats;
using Mote.Testing;

namespace Mote.Gguf.Tests;

public sealed class GgufWriterTests
{
    public static TheoryData<string> AllFixtureGgufs()
    {
        var data = new TheoryData<string>();
        if (Fixtures.Root is { } root)
        {
            foreach (var path in Directory.EnumerateFiles(root, "*.gguf", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                data.Add(Path.GetRelativePath(root, path));
        }
        return data;
    }

    [FixtureTheory]
    [MemberData(nameof(AllFixtureGgufs))]
    public void Rewrite_FixtureFile_IsByteIdentical(string relative)
    {
        var path = Path.Combine(Fixtures.Root!, relative);
        using var file = GgufFile.Open(path);
        using var output = new MemoryStream();

        GgufWriter.FromFile(file).Write(output);

        AssertSameBytes(File.ReadAllBytes(path), output.ToArray());
    }

    [FixtureFact]
    public void WritePath_FixtureFile_IsByteIdenticalAndLeavesNoTemporaryFile()
    {
        var source = Fixtures.Path("stories260K", "stories260K-q4_k_m.gguf");
        var folder = RepoPaths.NewTempDirectory();
        var destination = Path.Combine(folder, "copy.gguf");
        File.WriteAllText(destination, "an older file that gets replaced");

        using (var file = GgufFile.Open(source))
            GgufWriter.FromFile(file).Write(destination);

        AssertSameBytes(File.ReadAllBytes(source), File.ReadAllBytes(destination));
        Assert.Equal(["copy.gguf"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(3u)]
    public void Write_EveryValueTypeFromParsedHeader_ReproducesTheHandAssembledFile(uint version)
    {
        var image = GgufParserValueTests.EveryValueType(version);
        var header = GgufTestParse.Parse(image);
        var writer = new GgufWriter(header.Metadata, version);
        foreach (var tensor in header.Tensors)
        {
            var start = (int)(header.DataOffset + (long)tensor.Offset);
            writer.AddTensor(tensor.Name, tensor.Type, tensor.Shape, image.AsMemory(start, (int)tensor.ByteSize));
        }

        using var output = new MemoryStream();
        writer.Write(output);

        AssertSameBytes(image, output.ToArray());
    }

    [Theory]
    [InlineData(2u)]
    [InlineData(3u)]
    public void Write_MemoryAndStreamedTensors_MatchesSpecifiedLayout(uint version)
    {
        var metadata = new GgufMetadata();
        metadata.Set("general.architecture", GgufValue.From("llama"));
        var floats = new byte[12];
        floats[0] = 1;
        var writer = new GgufWriter(metadata, version);
        writer.AddTensor("a", GgmlType.F32, [3], floats);
        writer.AddTensor("q", GgmlType.Q8_0, [32, 2], stream =>
        {
            // Streamed in uneven pieces, as a quantizer writing rows would.
            for (var i = 0; i < 68; i += 5)
                stream.Write(Enumerable.Range(i, Math.Min(5, 68 - i)).Select(x => (byte)x).ToArray());
        });

        using var output = new NonSeekableStream();
        writer.Write(output);

        var expected = new GgufBytes().Header(version, 2, 1)
            .Key("general.architecture", GgufValueType.String).Str("llama")
            .TensorInfo("a", (uint)GgmlType.F32, 0, 3)
            .TensorInfo("q", (uint)GgmlType.Q8_0, 32, 32, 2)
            .PadTo(32).Raw(floats).PadTo(32)
            .Raw(Enumerable.Range(0, 68).Select(x => (byte)x).ToArray()).PadTo(32)
            .ToArray();
        AssertSameBytes(expected, output.ToArray());
    }

    [Theory]
    [InlineData(true, 64)]
    [InlineData(false, 46)]
    public void Write_NoTensors_PadsOnlyWhenAsked(bool pad, int expectedLength)
    {
        var metadata = new GgufMetadata();
        metadata.Set("k", GgufValue.From("v"));
        using var output = new MemoryStream();

        new GgufWriter(metadata) { PadEmptyDataSection = pad }.Write(output);

        Assert.Equal(expectedLength, output.Length); // header 24 + key 9 + type 4 + value 9 = 46
    }

    [Fact]
    public void Write_InvalidUtf8StringRead_WritesTheOriginalBytes()
    {
        var image = new GgufBytes().Header(3, 0, 1).Key("t", GgufValueType.Array)
            .U32((uint)GgufValueType.String).U64(2).RawStr([0xE2, 0x96]).RawStr([0xF0, 0x9F, 0x98, 0x80, 0x80])
            .PadTo(32).ToArray();
        var header = GgufTestParse.Parse(image);
        using var output = new MemoryStream();

        new GgufWriter(header.Metadata).Write(output);

        AssertSameBytes(image, output.ToArray());
    }

    [Fact]
    public void Write_CallbackWritesTooFewBytes_Throws()
    {
        var writer = new GgufWriter(new GgufMetadata());
        writer.AddTensor("w", GgmlType.F32, [4], stream => stream.Write(new byte[15]));

        var e = Assert.Throws<InvalidOperationException>(() => writer.Write(new MemoryStream()));
        Assert.Contains("wrote 15 of its 16 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_CallbackWritesTooManyBytes_Throws()
    {
        var writer = new GgufWriter(new GgufMetadata());
        writer.AddTensor("w", GgmlType.F32, [4], stream => stream.Write(new byte[17]));

        Assert.Throws<InvalidOperationException>(() => writer.Write(new MemoryStream()));
    }

    [Fact]
    public void WritePath_FailingCallback_LeavesNoFileBehind()
    {
        var folder = RepoPaths.NewTempDirectory();
        var writer = new GgufWriter(new GgufMetadata());
        writer.AddTensor("w", GgmlType.F32, [4], _ => throw new IOException("disk full"));

        Assert.Throws<IOException>(() => writer.Write(Path.Combine(folder, "out.gguf")));

        Assert.Empty(Directory.GetFiles(folder));
        Directory.Delete(folder);
    }

    [Fact]
    public void AddTensor_InvalidArguments_Throw()
    {
        var writer = new GgufWriter(new GgufMetadata());
        writer.AddTensor("ok", GgmlType.F32, [1], new byte[4]);

        Assert.Throws<ArgumentException>(() => writer.AddTensor("ok", GgmlType.F32, [1], new byte[4]));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("short", GgmlType.F32, [2], new byte[4]));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("q", GgmlType.Q4_0, [33], new byte[18]));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("5d", GgmlType.F32, [1, 1, 1, 1, 1], new byte[4]));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("neg", GgmlType.F32, [-1], new byte[4]));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("big", GgmlType.F32, [1L << 62, 4], _ => { }));
        Assert.Throws<ArgumentException>(() => writer.AddTensor(new string('x', 64), GgmlType.F32, [1], new byte[4]));
        Assert.Throws<ArgumentException>(() => writer.AddTensor("t", (GgmlType)4, [1], new byte[4]));
        Assert.Equal(1, writer.TensorCount);
    }

    [Fact]
    public void Write_AlignmentNotUInt32_Throws()
    {
        var metadata = new GgufMetadata();
        metadata.Set("general.alignment", GgufValue.From(32UL));

        Assert.Throws<InvalidOperationException>(() => new GgufWriter(metadata).Write(new MemoryStream()));
    }

    [Fact]
    public void Constructor_UnsupportedVersion_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new GgufWriter(new GgufMetadata(), version: 1));

    private static void AssertSameBytes(byte[] expected, byte[] actual)
    {
        var length = Math.Min(expected.Length, actual.Length);
        var mismatch = expected.AsSpan(0, length).CommonPrefixLength(actual.AsSpan(0, length));
        Assert.True(mismatch == length && expected.Length == actual.Length,
            $"expected {expected.Length} bytes, got {actual.Length}; first difference at byte {mismatch}");
    }

    private sealed class NonSeekableStream : MemoryStream
    {
        public override bool CanSeek => false;
        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }
}
