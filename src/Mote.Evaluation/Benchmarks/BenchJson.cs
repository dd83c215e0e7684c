using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mote.Evaluation.Benchmarks;

/// <summary>Prints a result as one JSON object (field names in <see cref="BenchResult"/>).</summary>
public static class BenchJson
{
    public static string Format(BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return JsonSerializer.Serialize(result, BenchJsonContext.Default.BenchResult);
    }
}

/// <summary>Source-generated serializer, so printing needs no reflection.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(BenchResult))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
