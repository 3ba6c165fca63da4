namespace Concord.Sync.Audit;

/// <summary>Which audit entries to read; null members do not filter.</summary>
public sealed record AuditQuery
{
    /// <summary>Only this flow's entries.</summary>
    public string? Flow { get; init; }

    /// <summary>Only this customer's entries.</summary>
    public string? CanonicalId { get; init; }

    /// <summary>Only this run's entries.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>Only entries at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>At most this many entries.</summary>
    public int? Limit { get; init; }
}
