using System.Buffers.Binary;
using Mote.Testing;

namespace Mote.Gguf.Tests;

/// <summary>
/// A generated corpus of damaged files — truncations, seeded random byte flips and aimed corruptions of every
/// structural field — built from the fixture GGUFs and from a hand-made file that uses every value type. Each
/// case must either open (a flip inside tensor data is legal) or throw <see cref="GgufFormatException"/> naming
/// the file, the field and an offset inside the file; anything else (an out-of-range read, an overflow, an
/// out-of-memory) fails the test.
/// </summary>
public sealed class GgufCorruptionTests
{
    private static readonly string[] s_fixtureFiles =
    [
        "stories260K/stories260K-q4_0.gguf",
        "kquant-synthetic/tiny-kquant-q4_k_m.gguf",
        "tokenizer/ggml-vocab-llama-spm.gguf",
    ];

    /// <summary>Collects every case that misbehaves, so one run reports them all.</summary>
    private sealed class Corpus(byte[] image, string source)
    {
        public List<string> Problems { get; } = [];
        public int Cases { get; private set; }

        public void Check(string label, bool mustFail, int length = -1)
        {
            Cases++;
            length = length < 0 ? image.Length : length;
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var header = GgufTestParse.Parse(image, length);
                CheckAllocation(label, allocatedBefore, length);
                if (mustFail)
                    Problems.Add($"{source} {label}: opened, but must be rejected");
                else
                    Exercise(header);
            }
            catch (GgufFormatException e)
            {
                CheckAllocation(label, allocatedBefore, length);
                if (e.Field.Length == 0 || e.Offset < 0 || e.Offset > length
                    || !e.Message.Contains(GgufTestParse.FileName, StringComparison.Ordinal)
                    || !e.Message.Contains($"'{e.Field}' at offset {e.Offset}", StringComparison.Ordinal))
                    Problems.Add($"{source} {label}: badly described: {e.Message}");
            }
#pragma warning disable CA1031 // the point of the corpus is to catch anything else
            catch (Exception e)
            {
                Problems.Add($"{source} {label}: {e.GetType().Name}: {e.Message}");
            }
#pragma warning restore CA1031
        }

        // A damaged count must not make the parser allocate far more than the file holds (a real vocabulary
        // takes about 3× its bytes as .NET strings).
        private void CheckAllocation(string label, long allocatedBefore, int length)
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            if (allocated > 16L * length + (1 << 20))
                Problems.Add($"{source} {label}: allocated {allocated} bytes for a {length}-byte file");
        }

        public void AssertClean(int minimumCases)
        {
            Assert.True(Problems.Count == 0, $"{Problems.Count} of {Cases} cases misbehaved:\n" + string.Join("\n", Problems.Take(25)));
            Assert.True(Cases >= minimumCases, $"only {Cases} cases ran");
        }
    }

    /// <summary>What a consumer does with an opened header must not throw either.</summary>
    private static void Exercise(GgufHeader header)
    {
        foreach (var tensor in header.Tensors)
        {
            Assert.True(tensor.ByteSize >= 0 && tensor.ElementCount >= 0);
            Assert.True(header.DataOffset + (long)tensor.Offset + tensor.ByteSize >= 0);
        }
        foreach (var (_, value) in header.Metadata.Entries)
            _ = value.ToString();
    }

    private static byte[] ReadFixture(string relative) => File.ReadAllBytes(Fixtures.Path(relative.Split('/')));

    [Fact]
    public void Truncate_HandMadeFile_AtEveryByte_RejectsOrOpens()
    {
        var image = GgufParserValueTests.EveryValueType(3);
        var corpus = new Corpus(image, "every-value-type");
        var header = GgufTestParse.Parse(image);
        var lastTensorEnd = header.DataOffset + 64 + 68; // tensor b ends here; only padding follows
        for (var length = 0; length < image.Length; length++)
            corpus.Check($"truncated at {length}", mustFail: length < lastTensorEnd, length);
        corpus.AssertClean(image.Length);
    }

    [FixtureTheory]
    [MemberData(nameof(FixtureNames))]
    public void Truncate_Fixture_LeadingBytesAndSampledOffsets_Rejects(string relative)
    {
        var image = ReadFixture(relative);
        var map = GgufFieldMap.Of(image);
        var corpus = new Corpus(image, relative);
        var random = new Random(20261124);
        var vocabularyOnly = map.HeaderLength >= image.Length - 32;

        // Every byte of the first 2 KiB (magic, counts, the first keys), then samples across the rest of the
        // header; a vocabulary file is all header and parses 32k strings per case, so it gets fewer samples.
        var everyByte = vocabularyOnly ? 0 : Math.Min(2048, map.HeaderLength);
        for (var length = 0; length < everyByte; length++)
            corpus.Check($"truncated at {length}", mustFail: true, length);
        for (var i = 0; i < (vocabularyOnly ? 60 : 1000); i++)
        {
            var length = random.Next(map.HeaderLength);
            corpus.Check($"truncated at {length}", mustFail: true, length);
        }
        for (var i = 0; i < 200 && !vocabularyOnly; i++)
        {
            // Inside the tensor data the last tensor always loses bytes (files end right after its padding).
            var length = random.Next(map.HeaderLength, image.Length - 32);
            corpus.Check($"truncated at {length}", mustFail: true, length);
        }
        corpus.AssertClean(60);
    }

    public static TheoryData<string> FixtureNames() => new(s_fixtureFiles);

    [Fact]
    public void FlipBytes_HandMadeFile_ThousandsOfSeededCases_RejectOrOpen()
    {
        var image = GgufParserValueTests.EveryValueType(3);
        var corpus = new Corpus(image, "every-value-type");
        FlipRandomBytes(corpus, image, headerLength: image.Length, cases: 4000, seed: 1);
        corpus.AssertClean(4000);
    }

    [FixtureTheory]
    [MemberData(nameof(FixtureNames))]
    public void FlipBytes_Fixture_SeededCases_RejectOrOpen(string relative)
    {
        var image = ReadFixture(relative);
        var map = GgufFieldMap.Of(image);
        var corpus = new Corpus(image, relative);
        // A vocabulary parses 32k strings per case: fewer cases keep the run to a few seconds.
        var cases = map.HeaderLength > 100_000 ? 150 : 2500;
        FlipRandomBytes(corpus, image, map.HeaderLength, cases, seed: relative.Length);
        corpus.AssertClean(cases);
    }

    /// <summary>Flips 1–4 bytes per case, mostly in the header, then restores them.</summary>
    private static void FlipRandomBytes(Corpus corpus, byte[] image, int headerLength, int cases, int seed)
    {
        var random = new Random(seed);
        Span<int> positions = stackalloc int[4];
        Span<byte> originals = stackalloc byte[4];
        for (var c = 0; c < cases; c++)
        {
            var count = random.Next(1, 5);
            for (var i = 0; i < count; i++)
            {
                positions[i] = random.Next(10) < 9 ? random.Next(headerLength) : random.Next(image.Length);
                originals[i] = image[positions[i]];
                image[positions[i]] = random.Next(4) switch
                {
                    0 => 0xFF,
                    1 => 0x00,
                    2 => (byte)(originals[i] ^ (1 << random.Next(8))),
                    _ => (byte)random.Next(256),
                };
            }
            corpus.Check($"case {c}: bytes {string.Join(",", positions[..count].ToArray())}", mustFail: false);
            for (var i = count - 1; i >= 0; i--)
                image[positions[i]] = originals[i];
        }
    }

    [Fact]
    public void CorruptFields_HandMadeFile_EveryFieldKind_RejectsOrOpens()
    {
        var image = GgufParserValueTests.EveryValueType(2);
        var corpus = new Corpus(image, "every-value-type");
        CorruptFields(corpus, image, GgufFieldMap.Of(image), fieldsPerKind: int.MaxValue);
        corpus.AssertClean(300);
    }

    [FixtureTheory]
    [MemberData(nameof(FixtureNames))]
    public void CorruptFields_Fixture_EveryFieldKind_RejectsOrOpens(string relative)
    {
        var image = ReadFixture(relative);
        var map = GgufFieldMap.Of(image);
        var corpus = new Corpus(image, relative);
        CorruptFields(corpus, image, map, fieldsPerKind: map.HeaderLength > 100_000 ? 6 : 40);
        corpus.AssertClean(50);
    }

    /// <summary>Rewrites sampled fields of each kind with hostile values, checking each, then restores them.</summary>
    private static void CorruptFields(Corpus corpus, byte[] image, GgufFieldMap map, int fieldsPerKind)
    {
        var random = new Random(7);
        var dataLength = (ulong)(image.Length - map.HeaderLength);
        foreach (var group in map.Fields.GroupBy(f => f.Kind))
        {
            var fields = group.ToList();
            var sample = fields.Count <= fieldsPerKind ? fields : fields.OrderBy(_ => random.Next()).Take(fieldsPerKind).ToList();
            foreach (var field in sample)
            {
                foreach (var (value, mustFail) in HostileValues(field, image, dataLength))
                {
                    var size = field.Kind is GgufFieldKind.ValueType or GgufFieldKind.ArrayElementType or GgufFieldKind.AlignmentValue
                        or GgufFieldKind.DimensionCount or GgufFieldKind.TensorType ? 4 : 8;
                    var slot = image.AsSpan(field.Offset, size);
                    var original = slot.ToArray();
                    if (size == 4)
                        BinaryPrimitives.WriteUInt32LittleEndian(slot, (uint)value);
                    else
                        BinaryPrimitives.WriteUInt64LittleEndian(slot, value);
                    if (!slot.SequenceEqual(original))
                        corpus.Check($"{field.Kind} at {field.Offset} = {value}", mustFail);
                    original.CopyTo(slot);
                }
            }
        }
    }

    private static IEnumerable<(ulong Value, bool MustFail)> HostileValues(GgufField field, byte[] image, ulong dataLength)
    {
        var size = field.Kind is GgufFieldKind.ValueType or GgufFieldKind.ArrayElementType or GgufFieldKind.AlignmentValue
            or GgufFieldKind.DimensionCount or GgufFieldKind.TensorType ? 4 : 8;
        var original = size == 4
            ? BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(field.Offset))
            : BinaryPrimitives.ReadUInt64LittleEndian(image.AsSpan(field.Offset));
        switch (field.Kind)
        {
            case GgufFieldKind.TensorCount or GgufFieldKind.KvCount or GgufFieldKind.ArrayCount or GgufFieldKind.StringLength:
                yield return (ulong.MaxValue, true);
                yield return ((ulong)long.MaxValue, true);
                yield return (1UL << 32, true);
                yield return (1UL << 30, true);
                yield return ((ulong)image.Length, true);
                yield return (original + 1, false);
                yield return (original == 0 ? 0 : original - 1, false);
                yield return (0, false);
                break;
            case GgufFieldKind.ValueType or GgufFieldKind.ArrayElementType:
                yield return (13, true);
                yield return (uint.MaxValue, true);
                for (uint type = 0; type <= 12; type++)
                    yield return (type, false);
                break;
            case GgufFieldKind.AlignmentValue:
                foreach (var bad in new ulong[] { 0, 3, 48, 1U << 21, uint.MaxValue })
                    yield return (bad, true);
                foreach (var good in new ulong[] { 1, 8, 64, 1U << 20 })
                    yield return (good, false);
                break;
            case GgufFieldKind.DimensionCount:
                yield return (5, true);
                yield return (uint.MaxValue, true);
                yield return (0, false);
                yield return (original + 1, false);
                yield return (original - 1, false);
                break;
            case GgufFieldKind.Dimension:
                yield return (1UL << 63, true);
                yield return (ulong.MaxValue, true);
                yield return (1UL << 62, true);
                yield return (original << 32, true);
                yield return (0, false);
                yield return (original + 1, false);
                yield return (original * 2, false);
                break;
            case GgufFieldKind.TensorType:
                foreach (var bad in new ulong[] { 4, 5, 31, 32, 33, 36, 40, 1000, uint.MaxValue })
                    yield return (bad, true);
                foreach (var other in new ulong[] { 0, 1, 2, 8, 10, 14, 15, 30, 39 })
                    yield return (other, false);
                break;
            case GgufFieldKind.TensorOffset:
                yield return (original + 1, true);
                yield return (original + 16, false); // misaligned unless the alignment is 16 or less
                yield return (original + 32, false);
                yield return (0, false);
                yield return (dataLength, false);
                yield return (dataLength + 32, true);
                yield return (ulong.MaxValue, true);
                yield return (1UL << 63, true);
                yield return ((1UL << 63) - 32, true);
                break;
        }
    }

    [Fact]
    public void Open_DamagedCopiesOnDisk_RejectOrOpenThroughTheMapping()
    {
        // A smaller run through GgufFile.Open, so the memory-mapped path (and its cleanup on failure) is covered.
        var image = GgufParserValueTests.EveryValueType(3);
        var folder = RepoPaths.NewTempDirectory();
        var random = new Random(3);
        var problems = new List<string>();
        for (var c = 0; c < 120; c++)
        {
            var damaged = c < 60 ? image[..random.Next(1, image.Length)] : (byte[])image.Clone();
            if (c >= 60)
                damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
            var path = Path.Combine(folder, $"case{c}.gguf");
            File.WriteAllBytes(path, damaged);
            try
            {
                using var file = GgufFile.Open(path);
                foreach (var tensor in file.Tensors)
                    _ = file.GetTensorData(tensor).ToArray();
            }
            catch (GgufFormatException e) when (e.FilePath == path && e.Message.StartsWith(path, StringComparison.Ordinal))
            {
            }
#pragma warning disable CA1031
            catch (Exception e)
            {
                problems.Add($"case {c}: {e.GetType().Name}: {e.Message}");
            }
#pragma warning restore CA1031
            File.Delete(path); // fails on Windows if a failed Open leaked its mapping
        }
        Directory.Delete(folder, recursive: true);
        Assert.Empty(problems);
    }
}
