using Mote.Gguf;
using Mote.Numerics.Formats;
using Mote.Testing;
using Xunit.Abstractions;

namespace Mote.Numerics.Tests.Formats;

public sealed class DequantizeTests(ITestOutputHelper output)
{
    public static TheoryData<GgmlType> StoredTypes => new()
    {
        GgmlType.F16, GgmlType.BF16, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q8_0,
        GgmlType.Q8_1, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.Q8_K,
    };

    /// <summary>Round trip of real weights (and edge-case blocks) checked element by element.</summary>
    [FixtureTheory]
    [MemberData(nameof(StoredTypes))]
    public void Dequantize_QuantizedFixtureWeights_MatchesPerElementFormula(GgmlType ggmlType)
    {
        using var model = GgufFile.Open(FixtureModels.F32Path(FixtureModels.KQuant));
        var weights = FixtureModels.ReadF32(model, model.FindTensor("blk.0.ffn_up.weight")!);
        AssertMatchesFormula(TensorTypes.Get(ggmlType), [.. weights, .. EdgeCaseBlocks()]);
    }

    [Theory]
    [MemberData(nameof(StoredTypes))]
    public void Dequantize_SeededRandomBlocks_MatchesPerElementFormula(GgmlType ggmlType)
    {
        var random = new Random(1234);
        var values = new float[256 * 16];
        for (var i = 0; i < values.Length; i++)
            values[i] = (float)((random.NextDouble() * 2 - 1) * Math.Pow(10, random.Next(-4, 3)));
        AssertMatchesFormula(TensorTypes.Get(ggmlType), [.. values, .. EdgeCaseBlocks()]);
    }

    /// <summary>
    /// Expanding llama.cpp's own q8_0 tensors stays within Q8_0's error bound of the f32 originals: with
    /// d = amax/127 stored as fp16, |x − q·d16| ≤ d/2 + 127·|d − d16| ≤ 0.5625·d16 (plus float slack).
    /// </summary>
    [FixtureFact]
    public void Dequantize_LlamaCppQ8_0Tensors_WithinQ8_0ErrorBoundOfOriginals()
    {
        using var original = GgufFile.Open(FixtureModels.F32Path(FixtureModels.Stories));
        using var quantized = GgufFile.Open(Fixtures.Path(FixtureModels.Stories, "stories260K-q8_0.gguf"));
        var type = TensorTypes.Get(GgmlType.Q8_0);
        var tensors = 0;
        foreach (var tensor in quantized.Tensors.Where(t => t.Type == GgmlType.Q8_0))
        {
            var x = FixtureModels.ReadF32(original, original.FindTensor(tensor.Name)!);
            var data = quantized.GetTensorData(tensor);
            var y = new float[x.Length];
            type.Dequantize(data, y);
            for (var i = 0; i < x.Length; i++)
            {
                var d16 = MathF.Abs((float)BitConverter.ToHalf(data.Slice(i / 32 * type.TypeSize, 2)));
                var bound = 0.5625f * d16 + 1e-6f * MathF.Abs(x[i]) + 4e-6f;
                Assert.True(MathF.Abs(x[i] - y[i]) <= bound, $"{tensor.Name}[{i}]: {y[i]} vs {x[i]} (bound {bound})");
            }
            tensors++;
        }
        Assert.True(tensors >= 30, $"only {tensors} q8_0 tensors found");
    }

    public static TheoryData<string, string> QuantizedFiles => new()
    {
        { FixtureModels.Stories, "stories260K-f16.gguf" },
        { FixtureModels.Stories, "stories260K-q8_0.gguf" },
        { FixtureModels.Stories, "stories260K-q5_1.gguf" },
        { FixtureModels.Stories, "stories260K-q5_0.gguf" },
        { FixtureModels.Stories, "stories260K-q4_1.gguf" },
        { FixtureModels.Stories, "stories260K-q4_0.gguf" },
        { FixtureModels.KQuant, "tiny-kquant-q6_k.gguf" },
        { FixtureModels.KQuant, "tiny-kquant-q5_k_m.gguf" },
        { FixtureModels.KQuant, "tiny-kquant-q4_k_m.gguf" },
        { FixtureModels.KQuant, "tiny-kquant-q3_k_m.gguf" },
        { FixtureModels.KQuant, "tiny-kquant-q2_k.gguf" },
    };

    /// <summary>Largest relative RMS error per type seen on these fixtures, with about 1.5× headroom.</summary>
    private static readonly Dictionary<GgmlType, double> s_relativeRmsBound = new()
    {
        [GgmlType.F16] = 5e-4,
        [GgmlType.Q8_0] = 0.01,
        [GgmlType.Q6_K] = 0.03,
        [GgmlType.Q5_1] = 0.05,
        [GgmlType.Q5_0] = 0.06,
        [GgmlType.Q5_K] = 0.06,
        [GgmlType.Q4_1] = 0.1,
        [GgmlType.Q4_0] = 0.12,
        [GgmlType.Q4_K] = 0.12,
        [GgmlType.Q3_K] = 0.25,
        [GgmlType.Q2_K] = 0.5,
    };

    /// <summary>Every tensor llama.cpp quantized expands close to its f32 original (catches layout mix-ups).</summary>
    [FixtureTheory]
    [MemberData(nameof(QuantizedFiles))]
    public void Dequantize_LlamaCppTensors_CloseToOriginals(string folder, string fileName)
    {
        using var original = GgufFile.Open(FixtureModels.F32Path(folder));
        using var quantized = GgufFile.Open(Fixtures.Path(folder, fileName));
        foreach (var tensor in quantized.Tensors.Where(t => t.Type != GgmlType.F32))
        {
            var x = FixtureModels.ReadF32(original, original.FindTensor(tensor.Name)!);
            var y = new float[x.Length];
            TensorTypes.Get(tensor.Type).Dequantize(quantized.GetTensorData(tensor), y);
            double error = 0, norm = 0;
            for (var i = 0; i < x.Length; i++)
            {
                error += (x[i] - (double)y[i]) * (x[i] - (double)y[i]);
                norm += (double)x[i] * x[i];
            }
            var relative = Math.Sqrt(error / norm);
            output.WriteLine($"{tensor.Name} {tensor.Type}: relative RMS error {relative:G3}");
            Assert.True(relative <= s_relativeRmsBound[tensor.Type], $"{fileName} {tensor.Name} ({tensor.Type}): relative RMS error {relative:G3}");
        }
    }

    private static void AssertMatchesFormula(TensorType type, float[] values)
    {
        var blockSize = Math.Max(type.BlockSize, 256);
        var length = values.Length / blockSize * blockSize;
        var x = values.AsSpan(0, length);
        var bytes = new byte[type.RowBytes(length)];
        type.Quantize(x, bytes);
        var y = new float[length];
        type.Dequantize(bytes, y);

        for (var i = 0; i < length; i++)
        {
            var block = bytes.AsSpan((int)type.RowBytes(i / type.BlockSize * type.BlockSize), type.TypeSize);
            var expected = ElementFormulas.Value(type.Type, block, i % type.BlockSize);
            if (BitConverter.SingleToInt32Bits(expected) != BitConverter.SingleToInt32Bits(y[i]))
                Assert.Fail($"{type.Name} element {i}: dequantized {y[i]:R}, formula gives {expected:R}");
        }
    }

    /// <summary>Blocks that exercise the special cases: all zero, constant, a lone outlier, one sign only, tiny.</summary>
    private static float[] EdgeCaseBlocks()
    {
        var blocks = new float[256 * 6];
        blocks.AsSpan(256, 256).Fill(0.75f);
        blocks[2 * 256 + 17] = -3f;
        for (var i = 0; i < 256; i++)
        {
            blocks[3 * 256 + i] = -(i % 37) * 0.01f - 0.001f;
            blocks[4 * 256 + i] = (i % 11) * 1e-9f;
            blocks[5 * 256 + i] = (i % 5 - 2) * (i % 3) * 1000f;
        }
        return blocks;
    }
}
