using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Concord.Canonical.Errors;

namespace Concord.Canonical.Connectors;

/// <summary>The result of one upsert: the record's id and what happened, or the error.</summary>
public sealed record UpsertResult
{
    private UpsertResult()
    {
    }

    /// <summary>What the upsert did.</summary>
    public UpsertOutcome Outcome { get; private init; }

    /// <summary>The record's id in the target system (null when the write failed).</summary>
    public string? ExternalId { get; private init; }

    /// <summary>The ids of the customer's contacts in the target, by the contact's canonical id.</summary>
    public ImmutableDictionary<string, string> ContactExternalIds { get; private init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The failure, for <see cref="UpsertOutcome.Failed"/>.</summary>
    public ConcordException? Error { get; private init; }

    /// <summary>
    /// Whether the target may hold part or all of this write although it failed: the vendor applied some of it before the
    /// call was interrupted (a company saved, its contacts not). The engine then keeps the write's intent, so the next
    /// attempt completes it and reports its real outcome (created, not "unchanged" or "duplicate avoided").
    /// </summary>
    public bool MayHaveApplied { get; private init; }

    /// <summary>Whether the write succeeded.</summary>
    [MemberNotNullWhen(true, nameof(ExternalId))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>A successful result.</summary>
    /// <param name="outcome">Created, updated or unchanged.</param>
    /// <param name="externalId">The record's id in the target.</param>
    /// <param name="contactExternalIds">The contacts' ids in the target by canonical contact id.</param>
    /// <returns>The result.</returns>
    public static UpsertResult Success(UpsertOutcome outcome, string externalId, IReadOnlyDictionary<string, string>? contactExternalIds = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(externalId);
        if (outcome == UpsertOutcome.Failed)
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "A successful result cannot have the Failed outcome.");
        }

        return new UpsertResult
        {
            Outcome = outcome,
            ExternalId = externalId,
            ContactExternalIds = contactExternalIds is null ? ImmutableDictionary<string, string>.Empty : contactExternalIds.ToImmutableDictionary(StringComparer.Ordinal),
        };
    }

    /// <summary>A failed result.</summary>
    /// <param name="error">Why it failed.</param>
    /// <returns>The result.</returns>
    public static UpsertResult Failure(ConcordException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new UpsertResult { Outcome = UpsertOutcome.Failed, Error = error };
    }

    /// <summary>A failed result for a write the vendor may have applied in part before it failed (see <see cref="MayHaveApplied"/>).</summary>
    /// <param name="error">Why it failed, saying what was saved.</param>
    /// <returns>The result.</returns>
    public static UpsertResult Interrupted(ConcordException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new UpsertResult { Outcome = UpsertOutcome.Failed, Error = error, MayHaveApplied = true };
    }
}
