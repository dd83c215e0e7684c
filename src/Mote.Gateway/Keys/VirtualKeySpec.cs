namespace Mote.Gateway.Keys;

/// <summary>What to create a virtual key with (body of <c>POST /admin/keys</c>).</summary>
public sealed record VirtualKeySpec
{
    public string? Name { get; set; }

    /// <summary>Routes the key may use; null or empty means all.</summary>
    public List<string>? Models { get; set; }

    public double? BudgetUsd { get; set; }

    /// <summary><c>daily</c>, <c>weekly</c>, <c>monthly</c> (default) or <c>total</c>.</summary>
    public string? BudgetPeriod { get; set; }

    public int? Rpm { get; set; }

    public int? Tpm { get; set; }

    public bool LocalOnly { get; set; }
}
