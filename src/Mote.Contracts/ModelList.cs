namespace Mote.Contracts;

/// <summary>The body of <c>GET /v1/models</c>.</summary>
public sealed record ModelList
{
    public string Object { get; set; } = "list";

    public IReadOnlyList<ModelInfo> Data { get; set; } = [];
}
