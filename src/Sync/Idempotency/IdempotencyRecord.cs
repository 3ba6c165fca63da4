using Concord.Canonical.Idempotency;

namespace Concord.Sync.Idempotency;

/// <summary>What the store holds for one key.</summary>
public sealed record IdempotencyRecord
{
    /// <summary>The key.</summary>
    public required IdempotencyKey Key { get; init; }

    /// <summary>The content fingerprint the key was first claimed with.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>Started, completed or failed.</summary>
    public required IdempotencyState State { get; init; }

    /// <summary>The claim token of the current or last holder.</summary>
    public required Guid ClaimToken { get; init; }

    /// <summary>Until when the holder's lease runs (meaningful for <see cref="IdempotencyState.Started"/>).</summary>
    public required DateTimeOffset LeaseExpiresAt { get; init; }

    /// <summary>How many times the key has been claimed.</summary>
    public required int Attempts { get; init; }

    /// <summary>The stored result, for <see cref="IdempotencyState.Completed"/>.</summary>
    public IdempotencyResult? Result { get; init; }

    /// <summary>Why the last attempt failed, for <see cref="IdempotencyState.Failed"/>.</summary>
    public string? FailureReason { get; init; }

    /// <summary>When the record last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
