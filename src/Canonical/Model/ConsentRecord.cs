namespace Concord.Canonical;

/// <summary>Marketing consent on one channel: its status, when it was given or withdrawn, and where it was captured.</summary>
public sealed record ConsentRecord
{
    /// <summary>The channel this consent is for.</summary>
    public required ConsentChannel Channel { get; init; }

    /// <summary>The consent status.</summary>
    public required ConsentStatus Status { get; init; }

    /// <summary>When the status was set, when known.</summary>
    public DateTimeOffset? RecordedAt { get; init; }

    /// <summary>Where the consent was captured (a form, an import, a system name).</summary>
    public string? Source { get; init; }
}
