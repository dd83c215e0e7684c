using Mote.Gguf;
using Mote.Numerics.Formats;
using Mote.Testing;
using Xunit.Abstractions;

namespace Mote.Numerics.Tests.Formats;

/// <summary>
/// Quantizing the f32 fixture weights must reproduce, byte for byte, the tensors llama-quantize wrote
/// (no imatrix, so ggml's <c>quantize_row_*_ref</c> functions; see fixtures/README.md for the commands).
/// </summary>
public sealed class QuantizeMatchesLlamaCppTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, GgmlType> Files => new()
    {
        { FixtureModels.Stories, "stories260K-f16.gguf", GgmlType.F16 },
        { FixtureModels.Stories, "stories260K-q8_0.gguf", GgmlType.Q8_0 },
        { FixtureModels.Stories, "stories260K-q4_0.gguf", GgmlType.Q4_0 },
        { FixtureModels.Stories, "stories260K-q4_1.gguf", GgmlType.Q4_1 },
        { FixtureModels.Stories, "stories260K-q5_0.gguf", GgmlType.Q5_0 },
        { FixtureModels.Stories, "stories260K-q5_1.gguf", GgmlType.Q5_1 },
        { FixtureModels.Stories, "stories260K-q4_k_m.gguf", GgmlType.Q5_0 }, // K-quant fallbacks: Q5_0, Q8_0, F16
        { FixtureModels.Stories, "stories260K-q6_k.gguf", GgmlType.Q8_0 }, // falls back to Q8_0 throughout
        { FixtureModels.KQuant, "tiny-kquant-q8_0.gguf", GgmlType.Q8_0 },
        { FixtureModels.KQuant, "tiny-kquant-q4_0.gguf", GgmlType.Q4_0 },
        { FixtureModels.KQuant, "tiny-kquant-q2_k.gguf", GgmlType.Q2_K },
        { FixtureModels.KQuant, "tiny-kquant-q3_k_m.gguf", GgmlType.Q3_K },
        { FixtureModels.KQuant, "tiny-kquant-q4_k_m.gguf", GgmlType.Q4_K },
        { FixtureModels.KQuant, "tiny-kquant-q5_k_m.gguf", GgmlType.Q5_K },
        { FixtureModels.KQuant, "tiny-kquant-q6_k.gguf", GgmlType.Q6_K },
    };

    /// <param name="folder">Fixture folder.</param>
    /// <param name="fileName">The llama-quantize output.</param>
    /// <param name="mainType">The file's main type, which must be among the tensors checked.</param>
    [FixtureTheory]
    [MemberData(nameof(Files))]
    public void Quantize_F32Weights_MatchesLlamaQuantizeBytes(string folder, string fileName, GgmlType mainType)
    {
        using var original = GgufFile.Open(FixtureModels.F32Path(folder));
        using var quantized = GgufFile.Open(Fixtures.Path(folder, fileName));
        var expectedTypes = FixtureModels.ExpectedTypes(folder, fileName);

        var checkedTypes = new HashSet<GgmlType>();
        var failures = new List<string>();
        foreach (var tensor in quantized.Tensors)
        {
            // Our reader must see the same type llama.cpp reported for the tensor.
            Assert.Equal(expectedTypes[tensor.Name], tensor.Type.ToString());
            if (tensor.Type == GgmlType.F32)
                continue;

            var source = original.FindTensor(tensor.Name) ?? throw new InvalidOperationException($"{tensor.Name} missing from the f32 file");
            Assert.Equal(source.Shape, tensor.Shape);
            var type = TensorTypes.Get(tensor.Type);
            var actual = new byte[tensor.ByteSize];
            type.Quantize(FixtureModels.ReadF32(original, source), actual);

            var expected = quantized.GetTensorData(tensor);
            var mismatch = expected.CommonPrefixLength(actual);
            if (mismatch < expected.Length)
            {
                var block = mismatch / type.TypeSize;
                failures.Add($"{tensor.Name} ({type.Name}): first difference at byte {mismatch} (block {block}, byte {mismatch % type.TypeSize} within it)");
            }
            checkedTypes.Add(tensor.Type);
        }

        output.WriteLine($"{fileName}: checked types {string.Join(", ", checkedTypes)}");
        Assert.Contains(mainType, checkedTypes);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
