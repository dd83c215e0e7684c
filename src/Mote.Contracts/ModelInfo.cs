namespace Mote.Contracts;

/// <summary>One model of <c>GET /v1/models</c>.</summary>
public sealed record ModelInfo
{
    public string Id { get; set; } = "";

    public string Object { get; set; } = "model";

    public long Created { get; set; }

    public string OwnedBy { get; set; } = "mote";
}
