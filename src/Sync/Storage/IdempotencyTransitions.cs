using System.Globalization;
using Concord.Canonical.Errors;
using Concord.Canonical.Idempotency;
using Concord.Canonical.Privacy;
using Concord.Sync.Idempotency;

namespace Concord.Sync.Storage;

/// <summary>
/// The rules every <see cref="IIdempotencyStore"/> applies, as pure functions from the record a store read to the
/// record it must write. A store only has to make "read the row, apply the rule, write the row" atomic (a lock, an
/// <c>IMMEDIATE</c> SQLite transaction, a row lock); the in-memory, SQLite and any third-party store then behave alike.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Claim: a key never seen, failed, or whose holder's lease has expired is acquired with a new token and one more attempt;
/// a completed key answers its stored result; a key whose lease is still running answers when that lease ends;
/// a key first claimed with another fingerprint is a <see cref="ErrorCategory.Conflict"/>.</item>
/// <item>Complete and fail are fenced by the claim token: once the lease expired and another worker took the key over,
/// the old holder's complete or fail is a <see cref="ErrorCategory.Conflict"/>. A holder whose lease expired but whom
/// nobody took over may still complete: its token is still the current one.</item>
/// <item>Completing again with the same token and result, or failing again with the same token, changes nothing.</item>
/// </list>
/// </remarks>
public static class IdempotencyTransitions
{
    /// <summary>The longest failure reason kept; longer reasons are cut.</summary>
    public const int MaxFailureReasonLength = 2000;

    private const int MaxFingerprintInMessage = 64;

    /// <summary>Decides a claim of <paramref name="key"/> for content <paramref name="fingerprint"/> given the stored <paramref name="current"/> record.</summary>
    /// <param name="current">The record the store holds for <paramref name="key"/>, or null.</param>
    /// <param name="key">The key claimed.</param>
    /// <param name="fingerprint">The content fingerprint of the write.</param>
    /// <param name="lease">How long an acquired claim holds.</param>
    /// <param name="now">The store's current time.</param>
    /// <returns>The answer and the record to write.</returns>
    /// <exception cref="ConcordException">Category <see cref="ErrorCategory.Conflict"/>: the key was claimed before with another fingerprint.</exception>
    public static IdempotencyClaimDecision Claim(IdempotencyRecord? current, IdempotencyKey key, string fingerprint, TimeSpan lease, DateTimeOffset now)
    {
        ValidateClaimArguments(key, fingerprint, lease);

        if (current is null)
        {
            return Acquire(key, fingerprint, attempts: 1, lease, now);
        }

        if (!string.Equals(current.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            throw new ConcordException(
                ErrorCategory.Conflict,
                $"Idempotency key '{key}' was first claimed for content {Describe(current.Fingerprint)} and is now claimed for content {Describe(fingerprint)}; a key must not be reused for another payload.")
            {
                Operation = "idempotency.claim",
            };
        }

        return current.State switch
        {
            IdempotencyState.Completed => new IdempotencyClaimDecision(
                IdempotencyClaim.Completed(key, current.Result ?? throw Corrupt(key, "is completed without a result")),
                RecordToWrite: null),
            IdempotencyState.Started when now < current.LeaseExpiresAt => new IdempotencyClaimDecision(
                IdempotencyClaim.Held(key, current.LeaseExpiresAt),
                RecordToWrite: null),
            _ => Acquire(key, fingerprint, current.Attempts + 1, lease, now),
        };
    }

    /// <summary>Decides the completion of <paramref name="claim"/> with <paramref name="result"/> given the stored <paramref name="current"/> record.</summary>
    /// <param name="current">The record the store holds for the claim's key, or null.</param>
    /// <param name="claim">The acquired claim.</param>
    /// <param name="result">The write's result.</param>
    /// <param name="now">The store's current time.</param>
    /// <returns>The record to write, or null when the claim is already completed with this result.</returns>
    /// <exception cref="ConcordException">Category <see cref="ErrorCategory.Conflict"/>: the claim was lost (taken over after its lease expired), or the key already ended otherwise.</exception>
    public static IdempotencyRecord? Complete(IdempotencyRecord? current, IdempotencyClaim claim, IdempotencyResult result, DateTimeOffset now)
    {
        ValidateClaim(claim);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrEmpty(result.ExternalId, nameof(result));

        var held = RequireHeld(current, claim, "complete");
        return held.State switch
        {
            IdempotencyState.Started => held with
            {
                State = IdempotencyState.Completed,
                Result = result,
                FailureReason = null,
                UpdatedAt = now,
            },
            IdempotencyState.Completed when held.Result == result => null,
            IdempotencyState.Completed => throw Ended(claim, "complete", "it is already completed with another result"),
            _ => throw Ended(claim, "complete", "it was already marked failed"),
        };
    }

    /// <summary>Decides the failure of <paramref name="claim"/> given the stored <paramref name="current"/> record.</summary>
    /// <param name="current">The record the store holds for the claim's key, or null.</param>
    /// <param name="claim">The acquired claim.</param>
    /// <param name="reason">Why the write failed; personal data in it is masked and it is cut to <see cref="MaxFailureReasonLength"/> characters.</param>
    /// <param name="now">The store's current time.</param>
    /// <returns>The record to write, or null when the claim is already marked failed.</returns>
    /// <exception cref="ConcordException">Category <see cref="ErrorCategory.Conflict"/>: the claim was lost (taken over after its lease expired), or the key is already completed.</exception>
    public static IdempotencyRecord? Fail(IdempotencyRecord? current, IdempotencyClaim claim, string reason, DateTimeOffset now)
    {
        ValidateClaim(claim);
        ArgumentNullException.ThrowIfNull(reason);

        var held = RequireHeld(current, claim, "fail");
        return held.State switch
        {
            IdempotencyState.Started => held with
            {
                State = IdempotencyState.Failed,
                FailureReason = CleanReason(reason),
                UpdatedAt = now,
            },
            IdempotencyState.Failed => null,
            _ => throw Ended(claim, "fail", "it is already completed"),
        };
    }

    /// <summary>Checks the arguments of <see cref="IIdempotencyStore.TryClaimAsync"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="fingerprint">The content fingerprint.</param>
    /// <param name="lease">The lease.</param>
    /// <exception cref="ArgumentException">The key is the default value or the fingerprint is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The lease is not positive.</exception>
    public static void ValidateClaimArguments(IdempotencyKey key, string fingerprint, TimeSpan lease)
    {
        if (string.IsNullOrEmpty(key.Value))
        {
            throw new ArgumentException("The idempotency key is empty; create it with IdempotencyKey.Derive or IdempotencyKey.From.", nameof(key));
        }

        ArgumentException.ThrowIfNullOrEmpty(fingerprint);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
    }

    /// <summary>Checks that <paramref name="claim"/> is an acquired claim, the only kind that can be completed or failed.</summary>
    /// <param name="claim">The claim.</param>
    /// <exception cref="ArgumentException">The claim is not <see cref="IdempotencyClaimStatus.Acquired"/>.</exception>
    public static void ValidateClaim(IdempotencyClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (claim.Status != IdempotencyClaimStatus.Acquired)
        {
            throw new ArgumentException($"Only an acquired claim can be completed or failed; the claim of key '{claim.Key}' is {claim.Status}.", nameof(claim));
        }
    }

    private static IdempotencyClaimDecision Acquire(IdempotencyKey key, string fingerprint, int attempts, TimeSpan lease, DateTimeOffset now)
    {
        var token = Guid.NewGuid();
        var record = new IdempotencyRecord
        {
            Key = key,
            Fingerprint = fingerprint,
            State = IdempotencyState.Started,
            ClaimToken = token,
            LeaseExpiresAt = now + lease,
            Attempts = attempts,
            UpdatedAt = now,
        };
        return new IdempotencyClaimDecision(IdempotencyClaim.Acquired(key, token), record);
    }

    private static IdempotencyRecord RequireHeld(IdempotencyRecord? current, IdempotencyClaim claim, string operation)
    {
        if (current is null)
        {
            throw new ConcordException(ErrorCategory.Conflict, $"Cannot {operation} idempotency key '{claim.Key}': the store holds no claim for it.")
            {
                Operation = "idempotency." + operation,
            };
        }

        if (current.ClaimToken != claim.Token)
        {
            throw new ConcordException(
                ErrorCategory.Conflict,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"Cannot {operation} idempotency key '{claim.Key}': claim {claim.Token} was lost; its lease expired and attempt {current.Attempts} (claim {current.ClaimToken}, now {current.State}) took the key over."))
            {
                Operation = "idempotency." + operation,
            };
        }

        return current;
    }

    private static ConcordException Ended(IdempotencyClaim claim, string operation, string why) =>
        new(ErrorCategory.Conflict, $"Cannot {operation} idempotency key '{claim.Key}' with claim {claim.Token}: {why}.")
        {
            Operation = "idempotency." + operation,
        };

    private static ConcordException Corrupt(IdempotencyKey key, string what) =>
        new(ErrorCategory.ContractViolation, $"The idempotency record of key '{key}' {what}; the store is corrupt.")
        {
            Operation = "idempotency.claim",
        };

    private static string CleanReason(string reason)
    {
        var masked = PersonalDataMasker.Mask(reason);
        return masked.Length <= MaxFailureReasonLength ? masked : masked[..MaxFailureReasonLength];
    }

    private static string Describe(string fingerprint) =>
        fingerprint.Length <= MaxFingerprintInMessage ? $"'{fingerprint}'" : $"'{fingerprint[..MaxFingerprintInMessage]}…'";
}
