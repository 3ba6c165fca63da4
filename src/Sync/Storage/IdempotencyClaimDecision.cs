using Concord.Sync.Idempotency;

namespace Concord.Sync.Storage;

/// <summary>What a store answers to a claim, and the record it must write (atomically with its read) to make that answer true.</summary>
/// <param name="Claim">The answer to return to the caller.</param>
/// <param name="RecordToWrite">The record to store in place of the one read, or null when nothing changes.</param>
public readonly record struct IdempotencyClaimDecision(IdempotencyClaim Claim, IdempotencyRecord? RecordToWrite);
