using System.Runtime.InteropServices;
using System.Text.Json;
using Mote.Gguf;
using Mote.Numerics.Formats;
using Mote.Testing;

namespace Mote.Numerics.Tests;

/// <summary>Reads the llama.cpp-produced GGUF fixtures the numerics tests compare against.</summary>
internal static class FixtureModels
{
    public const string Stories = "stories260K";
    public const string KQuant = "kquant-synthetic";

    /// <summary>The f32 original each quantized file in <paramref name="folder"/> was made from.</summary>
    public static string F32Path(string folder) =>
        Fixtures.Path(folder, folder == Stories ? "stories260K-f32.gguf" : "tiny-kquant-f32.gguf");

    /// <summary>A tensor's data as floats; the tensor must be F32.</summary>
    public static float[] ReadF32(GgufFile file, GgufTensorInfo tensor)
    {
        Assert.Equal(GgmlType.F32, tensor.Type);
        return MemoryMarshal.Cast<byte, float>(file.GetTensorData(tensor)).ToArray();
    }

    /// <summary>Per-tensor types llama.cpp reported for <paramref name="fileName"/> (tensor-types.json).</summary>
    public static IReadOnlyDictionary<string, string> ExpectedTypes(string folder, string fileName)
    {
        using var json = JsonDocument.Parse(File.ReadAllBytes(Fixtures.Path(folder, "tensor-types.json")));
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in json.RootElement.GetProperty(fileName).EnumerateObject())
        {
            if (entry.Value.ValueKind == JsonValueKind.String)
                types[entry.Name] = entry.Value.GetString()!;
        }
        return types;
    }
}
