namespace Mote.Cli.GatewayReport;

/// <summary>One question sent to the cascade and to the big model.</summary>
internal sealed record QuestionResult
{
    public required int Index { get; init; }

    /// <summary>The line of the questions file.</summary>
    public required int Line { get; init; }

    public required string Question { get; init; }

    public required CallOutcome Cascade { get; init; }

    public required CallOutcome Big { get; init; }

    /// <summary>The cascade tier that answered (1 = the cheapest), as the gateway decided.</summary>
    public int? AnsweredTier { get; init; }

    /// <summary>True when a judged (cheaper) tier's answer was accepted.</summary>
    public bool AnsweredByCheapTier { get; init; }

    /// <summary>The judgement of each tier before the one that answered.</summary>
    public IReadOnlyList<TierDecision> Decisions { get; init; } = [];

    /// <summary>Normalized exact match of the two answers; null unless both answered.</summary>
    public bool? Agrees { get; init; }
}
