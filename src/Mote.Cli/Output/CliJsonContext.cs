using System.Text.Json.Serialization;

namespace Mote.Cli.Output;

/// <summary>Source-generated JSON for the CLI's machine-readable outputs.</summary>
[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(GenerateResult))]
[JsonSerializable(typeof(Mote.Evaluation.Perplexity.PerplexityResult))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
