using Concord.Canonical.Idempotency;

namespace Concord.Sync.Idempotency;

/// <summary>The answer to a claim: acquired (go and write), already completed (use the stored result) or held by another worker.</summary>
public sealed record IdempotencyClaim
{
    private IdempotencyClaim()
    {
    }

    /// <summary>What the claim found.</summary>
    public IdempotencyClaimStatus Status { get; private init; }

    /// <summary>The key.</summary>
    public IdempotencyKey Key { get; private init; }

    /// <summary>The token that proves this caller holds the claim; pass it to complete or fail.</summary>
    public Guid Token { get; private init; }

    /// <summary>The stored result, for <see cref="IdempotencyClaimStatus.AlreadyCompleted"/>.</summary>
    public IdempotencyResult? Result { get; private init; }

    /// <summary>When the other holder's lease ends, for <see cref="IdempotencyClaimStatus.HeldByAnother"/>.</summary>
    public DateTimeOffset? HeldUntil { get; private init; }

    /// <summary>The caller holds the claim and must complete or fail it.</summary>
    /// <param name="key">The key.</param>
    /// <param name="token">The claim token.</param>
    /// <returns>The claim.</returns>
    public static IdempotencyClaim Acquired(IdempotencyKey key, Guid token) => new() { Status = IdempotencyClaimStatus.Acquired, Key = key, Token = token };

    /// <summary>The write is already done; here is its result.</summary>
    /// <param name="key">The key.</param>
    /// <param name="result">The stored result.</param>
    /// <returns>The claim.</returns>
    public static IdempotencyClaim Completed(IdempotencyKey key, IdempotencyResult result) => new() { Status = IdempotencyClaimStatus.AlreadyCompleted, Key = key, Result = result };

    /// <summary>Another worker holds an unexpired lease.</summary>
    /// <param name="key">The key.</param>
    /// <param name="heldUntil">When that lease expires.</param>
    /// <returns>The claim.</returns>
    public static IdempotencyClaim Held(IdempotencyKey key, DateTimeOffset heldUntil) => new() { Status = IdempotencyClaimStatus.HeldByAnother, Key = key, HeldUntil = heldUntil };
}

/// <summary>What a claim found.</summary>
public enum IdempotencyClaimStatus
{
    /// <summary>The caller now holds the claim.</summary>
    Acquired,

    /// <summary>The key is completed; its result is returned.</summary>
    AlreadyCompleted,

    /// <summary>Another worker holds an unexpired lease.</summary>
    HeldByAnother,
}
