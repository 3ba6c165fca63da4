namespace Concord.Sync.DeadLetters;

/// <summary>Which dead letters to list; null members do not filter.</summary>
public sealed record DeadLetterQuery
{
    /// <summary>Only this flow's entries.</summary>
    public string? Flow { get; init; }

    /// <summary>Only entries with this status.</summary>
    public DeadLetterStatus? Status { get; init; }

    /// <summary>At most this many entries.</summary>
    public int? Limit { get; init; }
}
